"""`gunicorn 'forwarding.app:create_app()'`"""
from forwarding import opendata
from forwarding.api import blp
from forwarding.store import MODELS
from services.web import create_service_app


def create_app():
    return create_service_app("forwarding", [blp, opendata.blp], title="Civic forwarding (internal)", models=MODELS)
