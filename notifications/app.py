"""`gunicorn 'notifications.app:create_app()'`"""
from notifications import webhook_store, webhooks_api
from notifications.api import blp
from notifications.store import MODELS
from services.web import create_service_app


def create_app():
    return create_service_app("notifications", [blp, webhooks_api.blp], title="Civic notifications (internal)",
                              models=MODELS + webhook_store.MODELS)
