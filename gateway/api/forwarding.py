"""Public API: Forwarding status and institutions, relayed to the forwarding service."""
from forwarding.schemas import DossierOut, ForwardingOut, InstitutionOut
from gateway.api.common import AUTH, anyone, blp, members_only, signed_in
from gateway.clients import relay


@blp.get("/proposals/<proposal_id>/forwarding")
@blp.response(200, ForwardingOut)
def forwarding(proposal_id):
    return relay("forwarding", "GET", f"/api/proposals/{proposal_id}/dossiers", anyone())


@blp.post("/dossiers/<dossier_id>/retry")
@members_only
@blp.response(200, DossierOut)
@blp.doc(security=AUTH)
def retry_dossier(dossier_id):
    return relay("forwarding", "POST", f"/api/dossiers/{dossier_id}/retry", signed_in())


@blp.get("/institutions")
@blp.response(200, InstitutionOut(many=True))
def institutions():
    return relay("forwarding", "GET", "/api/institutions", anyone())
