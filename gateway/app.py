"""`gunicorn 'gateway.app:create_app()'`: the public entry."""
import requests
from flask import request
from flask_babel import Babel
from werkzeug.exceptions import HTTPException

from gateway import pages
from gateway.api import blp, wellknown
from gateway.store import MODELS
from services.settings import SERVICES, get_settings
from services.web import create_service_app


def inner_ready(service: str):
    """The readiness check of an inner service, as the gateway's /readyz reports it."""
    def check() -> bool:
        return requests.get(f"{get_settings().service_url(service)}/readyz", timeout=1.5).ok
    return check


def create_app():
    app = create_service_app("gateway", [blp], title="Civic participation platform", inner=False,
                             models=MODELS, readiness=tuple(
                                 (service, inner_ready(service)) for service in SERVICES if service != "gateway"))
    api = app.extensions["civic_api"]
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                       "bearerFormat": "JWT"})
    # HTML pages (gateway/pages/): session secret, the shared catalogue, Flask-Babel, blueprint.
    pages.configure(app)
    Babel(app, locale_selector=pages.select_locale)
    app.register_blueprint(pages.bp)
    app.register_blueprint(wellknown)

    def unrouted(error: HTTPException):
        """No route matched: a problem document under /api, the pages' error page elsewhere."""
        if request.path.startswith("/api/"):
            return api.handle_http_exception(error)
        return pages.unrouted_error(error)

    for code in (404, 405):
        app.register_error_handler(code, unrouted)
    return app
