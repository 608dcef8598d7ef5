"""HTTP API of the forwarding service."""
from flask_smorest import Blueprint

from forwarding import handlers
from forwarding.schemas import DossierOut, ForwardingOut, InstitutionOut
from services.auth import caller

blp = Blueprint("forwarding", __name__, url_prefix="/api")


@blp.get("/proposals/<proposal_id>/dossiers")
@blp.response(200, ForwardingOut)
def dossiers(proposal_id):
    return {"proposal_id": proposal_id, "dossiers": handlers.list_dossiers(caller(), proposal_id)}


@blp.post("/dossiers/<dossier_id>/retry")
@blp.response(200, DossierOut)
def retry(dossier_id):
    return handlers.retry_dossier(caller(), dossier_id)


@blp.get("/institutions")
@blp.response(200, InstitutionOut(many=True))
def institutions():
    return handlers.list_institutions()
