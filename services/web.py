"""Flask app factory helpers shared by every service: JSON problem errors, health,
readiness, metrics, request timing and the service-token check."""
from __future__ import annotations

import http
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, Response, g, jsonify, request, send_from_directory
from swagger_ui_bundle import swagger_ui_path
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from services import db, metrics, web_security
from services.auth import load_service_caller
from services.errors import DomainError, Forbidden, status_for
from services.logs import request_id
from services.settings import get_settings
from services.status import broker_reachable, report

log = logging.getLogger(__name__)
OPEN_PATHS = ("/healthz", "/readyz", "/metrics", "/api/docs", "/api/openapi.json", "/api/swagger-ui/",
              "/static/")
PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, errors: dict | None = None,
            code: str | None = None) -> Response:
    """An application/problem+json response (RFC 9457) with field-level errors."""
    body = {"type": "about:blank", "title": title, "status": status}
    if code:
        body["code"] = code
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


class ProblemSchema(Schema):
    """The documented shape of every error answer: an RFC 9457 problem document (see `problem`)."""

    class Meta:
        unknown = INCLUDE  # RFC 9457 allows extension members

    type = fields.Str(required=True)
    title = fields.Str(required=True)
    status = fields.Int(required=True)
    code = fields.Str(metadata={"description": "Why, for programs: the domain error's code"})
    detail = fields.Str()
    errors = fields.Dict(metadata={"description": "Messages per location (json, query) and field"})


def unencodable_text(value, path: tuple = ()) -> dict | None:
    """The first string in a JSON body that is not valid Unicode (a lone surrogate, which JSON's
    \\u escapes can carry and a database cannot store), as marshmallow-style nested errors."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            errors: dict | list = ["Not valid Unicode text (it holds a lone surrogate)."]
            for key in reversed(path):
                errors = {key: errors}
            return errors if path else {"_schema": errors}
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and unencodable_text(key) is not None:
            return {"_schema": ["Not valid Unicode text in a field name."]}
        found = unencodable_text(item, (*path, key))
        if found is not None:
            return found
    return None


class ProblemApi(Api):
    """flask-smorest Api whose errors are problem+json documents, and documented as such."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """Every status's response and the default error response: a problem+json document."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error: a problem document (RFC 9457) with field messages",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        detail = data.get("message") or error.description
        if error.code == 422 and errors:
            detail = "The request has invalid fields."
        if error.code == 400 and errors and "json" in errors:
            detail = "The body is not valid JSON."
        if error.code == 413:
            detail = f"The body is larger than {get_settings().max_body_bytes} bytes."
        response = problem(error.code or 500, error.name, detail, errors)
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        return response


def create_service_app(service: str, blueprints: list, *, title: str, inner: bool = True,
                       models: tuple = (), api_prefix: str = "", readiness: tuple = ()) -> Flask:
    """A Flask app for `service` with the kit's conventions applied; `readiness`: more (name, check)
    pairs its /readyz reports (the gateway's: the services it calls)."""
    settings = get_settings()
    app = Flask(service)
    if not inner and settings.trusted_proxies > 0:
        # The client's address (rate limits) from the proxies we run, never from a client's own header.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api", OPENAPI_JSON_PATH="openapi.json",
        # Swagger UI at /api/docs is services.web_security's page (no inline script), its files from
        # the swagger-ui-bundle wheel: the docs work without a CDN.
        JSON_SORT_KEYS=False,
    )
    db.connect(service)
    db.ensure_indexes(*models)
    api = ProblemApi(app, spec_kwargs={"servers": [{"url": api_prefix or "/"}]})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    app.extensions["civic_api"] = api
    web_security.install(app, title)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        status = status_for(error)
        response = problem(status, _title(status), error.message, error.errors, error.code)
        if getattr(error, "retry_after", None):
            response.headers["Retry-After"] = str(int(error.retry_after))
        return response

    def database_unavailable(error: Exception):
        db.note_outage(error)
        if not isinstance(error, db.KnownDown):
            log.warning("%s %s: the database is unavailable: %s: %s", request.method, request.path,
                        type(error).__name__, error)
        response = problem(503, "Service Unavailable", "The database is not reachable right now; "
                           "try again in a moment.", code="unavailable")
        response.headers["Retry-After"] = str(settings.retry_after_seconds)
        return response

    for error_class in db.UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)

    @app.before_request
    def start_timer():
        g.started = time.perf_counter()
        if db.known_down() and not request.path.startswith(OPEN_PATHS):  # the probes look for themselves
            raise db.KnownDown("the database was out of reach a moment ago")
        if inner and request.path.startswith("/api/") and not request.path.startswith(OPEN_PATHS):
            load_service_caller()
        if request.is_json and request.method in ("POST", "PUT", "PATCH"):
            found = unencodable_text(request.get_json(silent=True))
            if found is not None:
                return problem(422, "Unprocessable Entity", "The request has invalid fields.", {"json": found})

    @app.after_request
    def observe(response):
        if request_id():
            response.headers.setdefault("X-Request-Id", request_id())
        if request.url_rule is not None and hasattr(g, "started"):
            metrics.HTTP_REQUESTS.labels(service, request.method, request.url_rule.rule,
                                         str(response.status_code)).observe(time.perf_counter() - g.started)
        return response

    @app.get("/api/swagger-ui/<path:filename>")
    def swagger_ui(filename):
        return send_from_directory(swagger_ui_path, filename, max_age=86400)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": service}

    @app.get("/readyz")
    def readyz():
        """200 when this service can work, else 503; either way, which part is there and which is not."""
        def probe(name, check) -> bool:
            try:
                return bool(check())
            except Exception as exc:  # noqa: BLE001 - report, do not crash the probe
                log.warning("%s readiness: %s unreachable: %s", service, name, exc)
                return False

        parts = (("database", db.ping), ("broker", broker_reachable), *readiness)
        with ThreadPoolExecutor(len(parts)) as pool:  # at once: the probe answers within its slowest check
            checks = dict(zip([name for name, _ in parts], pool.map(lambda part: probe(*part), parts)))
        ready = all(checks.values())
        return {"status": "ready" if ready else "unavailable", "checks": checks}, (200 if ready else 503)

    @app.get("/api/status")
    def status_page():
        """The operations view of this service (services.status), for operators through the gateway."""

        if not inner:  # the gateway's own: its /api/ paths take user tokens, this one a service token
            load_service_caller()
        if g.caller.role != "operator":
            raise Forbidden("The status is for platform operators.", code="role")
        return report(service)

    @app.get("/metrics")
    def metrics_page():
        if not inner:  # the gateway's is reachable from outside: a scrape token (inner ones are not)
            web_security.check_metrics_scrape()
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)

    return app


def _title(status: int) -> str:
    from http import HTTPStatus
    return HTTPStatus(status).phrase
