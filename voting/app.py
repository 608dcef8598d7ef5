"""`gunicorn 'voting.app:create_app()'`"""
from services.web import create_service_app
from voting import import_api, opendata
from voting.api import blp
from voting.store import MODELS


def create_app():
    return create_service_app("voting", [blp, import_api.blp, opendata.blp], title="Civic voting (internal)", models=MODELS)
