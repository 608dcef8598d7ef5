"""`gunicorn 'voting.app:create_app()'`"""
from services.web import create_service_app
from voting.api import blp
from voting.store import MODELS


def create_app():
    return create_service_app("voting", [blp], title="Civic voting (internal)", models=MODELS)
