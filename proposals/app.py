"""`gunicorn 'proposals.app:create_app()'`"""
from proposals import opendata
from proposals.api import blp
from proposals.store import MODELS
from services.web import create_service_app


def create_app():
    return create_service_app("proposals", [blp, opendata.blp], title="Civic proposals (internal)", models=MODELS)
