"""Public API: forwarding to national institutions, relayed to the forwarding service.

Residents and anyone: forwarding status, published replies, the tracker, the directory.
Staff: directory edits, review/override, manual sending, postal replies, retries, policy.
Institutions: the portal, reached by a signed link (?token=), an API key (X-Api-Key) or an
institution account (bearer token)."""
from flask import Blueprint as FlaskBlueprint
from flask import request

from forwarding.schemas import (
    ApiKeyOut,
    BreakerOut,
    ClockIn,
    ClockOut,
    DossierOut,
    ForwardingOut,
    InstitutionIn,
    InstitutionOut,
    InstitutionPatch,
    MarkSentIn,
    PolicyIn,
    PolicyOut,
    PortalArgs,
    RepliesOut,
    ReplyIn,
    ReviewIn,
    TrackerArgs,
    TrackerOut,
)
from gateway.api.common import AUTH, anyone, blp, members_only, signed_in
from gateway.clients import relay
from gateway.domain import ANONYMOUS
from services.auth import Caller

PORTAL_DOC = {"parameters": [{"in": "header", "name": "X-Api-Key", "required": False, "schema": {"type": "string"},
                              "description": "The institution's API key (instead of ?token= or a bearer token)."}]}


@blp.get("/proposals/<proposal_id>/forwarding")
@blp.response(200, ForwardingOut)
def forwarding(proposal_id):
    return relay("forwarding", "GET", f"/api/proposals/{proposal_id}/dossiers", anyone())


@blp.post("/proposals/<proposal_id>/forwarding/review")
@members_only
@blp.arguments(ReviewIn)
@blp.response(200, ForwardingOut)
@blp.doc(security=AUTH)
def review(data, proposal_id):
    return relay("forwarding", "POST", f"/api/proposals/{proposal_id}/review", signed_in(), json=data)


@blp.get("/proposals/<proposal_id>/replies")
@blp.response(200, RepliesOut)
def replies(proposal_id):
    return relay("forwarding", "GET", f"/api/proposals/{proposal_id}/replies", anyone())


@blp.post("/dossiers/<dossier_id>/retry")
@members_only
@blp.response(200, DossierOut)
@blp.doc(security=AUTH)
def retry_dossier(dossier_id):
    return relay("forwarding", "POST", f"/api/dossiers/{dossier_id}/retry", signed_in())


@blp.post("/dossiers/<dossier_id>/sent")
@members_only
@blp.arguments(MarkSentIn)
@blp.response(200, DossierOut)
@blp.doc(security=AUTH)
def mark_sent(data, dossier_id):
    return relay("forwarding", "POST", f"/api/dossiers/{dossier_id}/sent", signed_in(), json=data)


@blp.post("/dossiers/<dossier_id>/replies")
@members_only
@blp.arguments(ReplyIn)
@blp.response(201, DossierOut)
@blp.doc(security=AUTH)
def postal_reply(data, dossier_id):
    return relay("forwarding", "POST", f"/api/dossiers/{dossier_id}/replies", signed_in(), json=data)


@blp.get("/dossiers/<dossier_id>/pdf")
@members_only
@blp.doc(security=AUTH)
def dossier_pdf(dossier_id):
    return relay("forwarding", "GET", f"/api/dossiers/{dossier_id}/pdf", signed_in())


@blp.get("/dossiers/<dossier_id>/json")
@members_only
@blp.doc(security=AUTH)
def dossier_json(dossier_id):
    return relay("forwarding", "GET", f"/api/dossiers/{dossier_id}/json", signed_in())


@blp.get("/institutions")
@blp.response(200, InstitutionOut(many=True))
def institutions():
    return relay("forwarding", "GET", "/api/institutions", anyone())


@blp.post("/institutions")
@members_only
@blp.arguments(InstitutionIn)
@blp.response(201, InstitutionOut)
@blp.doc(security=AUTH)
def create_institution(data):
    return relay("forwarding", "POST", "/api/institutions", signed_in(), json=request.get_json())


@blp.get("/institutions/<code>")
@blp.response(200, InstitutionOut)
def institution(code):
    return relay("forwarding", "GET", f"/api/institutions/{code}", anyone())


@blp.patch("/institutions/<code>")
@members_only
@blp.arguments(InstitutionPatch(partial=True))
@blp.response(200, InstitutionOut)
@blp.doc(security=AUTH)
def update_institution(data, code):
    return relay("forwarding", "PATCH", f"/api/institutions/{code}", signed_in(), json=request.get_json())


@blp.post("/institutions/<code>/api-key")
@members_only
@blp.response(201, ApiKeyOut)
@blp.doc(security=AUTH)
def institution_api_key(code):
    return relay("forwarding", "POST", f"/api/institutions/{code}/api-key", signed_in())


@blp.get("/institutions/<code>/breaker")
@blp.response(200, BreakerOut)
def institution_breaker(code):
    return relay("forwarding", "GET", f"/api/institutions/{code}/breaker", anyone())


def _portal_params(args: dict) -> dict:
    params = {"token": args.get("token")} if args.get("token") else {}
    if request.headers.get("X-Api-Key"):
        params["api_key"] = request.headers["X-Api-Key"]
    return params


@blp.get("/portal/dossiers/<dossier_id>")
@blp.arguments(PortalArgs, location="query")
@blp.response(200, DossierOut)
@blp.doc(security=AUTH, **PORTAL_DOC)
def portal(args, dossier_id):
    return relay("forwarding", "GET", f"/api/portal/dossiers/{dossier_id}", anyone(), params=_portal_params(args))


@blp.get("/portal/dossiers/<dossier_id>/pdf")
@blp.arguments(PortalArgs, location="query")
@blp.doc(security=AUTH, **PORTAL_DOC)
def portal_pdf(args, dossier_id):
    return relay("forwarding", "GET", f"/api/portal/dossiers/{dossier_id}/pdf", anyone(),
                 params=_portal_params(args))


@blp.post("/portal/dossiers/<dossier_id>/acknowledge")
@blp.arguments(PortalArgs, location="query")
@blp.response(200, DossierOut)
@blp.doc(security=AUTH, **PORTAL_DOC)
def portal_acknowledge(args, dossier_id):
    return relay("forwarding", "POST", f"/api/portal/dossiers/{dossier_id}/acknowledge", anyone(),
                 params=_portal_params(args))


@blp.post("/portal/dossiers/<dossier_id>/reply")
@blp.arguments(PortalArgs, location="query")
@blp.arguments(ReplyIn)
@blp.response(201, DossierOut)
@blp.doc(security=AUTH, **PORTAL_DOC)
def portal_reply(args, data, dossier_id):
    return relay("forwarding", "POST", f"/api/portal/dossiers/{dossier_id}/reply", anyone(),
                 params=_portal_params(args), json=request.get_json())


@blp.get("/tracker")
@blp.arguments(TrackerArgs, location="query")
@blp.response(200, TrackerOut)
def tracker(args):
    return relay("forwarding", "GET", "/api/tracker", anyone(), params=args)


@blp.get("/forwarding/policy")
@members_only
@blp.response(200, PolicyOut)
@blp.doc(security=AUTH)
def policy():
    return relay("forwarding", "GET", "/api/policy", signed_in())


@blp.put("/forwarding/policy")
@members_only
@blp.arguments(PolicyIn)
@blp.response(200, PolicyOut)
@blp.doc(security=AUTH)
def set_policy(data):
    return relay("forwarding", "PUT", "/api/policy", signed_in(), json=data)


@blp.post("/forwarding/clock")
@members_only
@blp.arguments(ClockIn)
@blp.response(200, ClockOut)
@blp.doc(security=AUTH, description="Test deployments only (CIVIC_TEST_CLOCK=1): advance the deadline clock.")
def advance_clock(data):
    return relay("forwarding", "POST", "/api/clock", signed_in(), json=data)


# /.well-known/civic-keys.json: the municipalities' Ed25519 public keys, for anyone to verify dossiers.
wellknown = FlaskBlueprint("wellknown", __name__)


@wellknown.get("/.well-known/civic-keys.json")
def civic_keys():
    answer = relay("forwarding", "GET", "/api/keys", Caller(ANONYMOUS, ANONYMOUS, "idrija"))
    answer.headers["Cache-Control"] = "public, max-age=300"
    answer.headers["Access-Control-Allow-Origin"] = "*"
    return answer
