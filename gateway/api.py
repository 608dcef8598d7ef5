"""The public JSON API, /api/v1: accounts here, everything else relayed to the owning service."""
from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_smorest import Blueprint

from forwarding.schemas import DossierOut, ForwardingOut, InstitutionOut
from gateway import handlers
from gateway.clients import relay
from gateway.domain import ANONYMOUS, MUNICIPALITIES
from gateway.schemas import AccountOut, LoginIn, RegisterIn, TokenOut
from notifications.schemas import InboxArgs, InboxOut
from proposals.schemas import ListArgs, ModerationIn, ProcessOut, ProposalIn, ProposalOut, ProposalPage
from services.auth import Caller, bearer, verify_user_token
from services.errors import Unauthorized
from voting.schemas import BallotIn, BallotOut, ResultsOut, VoteOut

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Public API of the civic platform")
AUTH = [{"bearerAuth": []}]


@blp.before_request
def identify() -> None:
    """The person behind the bearer token (401 if it is invalid), or an anonymous reader
    of the municipality in ?municipality=. Runs before any body is parsed."""
    token = bearer()
    if token:
        g.caller = verify_user_token(token)
        return
    if request.headers.get("Authorization"):
        raise Unauthorized("Send 'Authorization: Bearer <token>'.")
    municipality = request.args.get("municipality", "idrija")
    g.caller = Caller(ANONYMOUS, ANONYMOUS, municipality if municipality in MUNICIPALITIES else "idrija")


def members_only(view):
    """401 for anonymous callers, before the body is even validated."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.caller.role == ANONYMOUS:
            raise Unauthorized("Sign in first: send 'Authorization: Bearer <token>'.")
        return view(*args, **kwargs)
    return wrapped


def signed_in() -> Caller:
    return g.caller


def anyone() -> Caller:
    return g.caller


@blp.post("/auth/register")
@blp.arguments(RegisterIn)
@blp.response(201, AccountOut)
def register(data):
    return handlers.register(data)


@blp.post("/auth/login")
@blp.arguments(LoginIn)
@blp.response(200, TokenOut)
def login(data):
    return handlers.login(data["email"], data["password"])


@blp.get("/processes")
@blp.response(200, ProcessOut(many=True))
def processes():
    return relay("proposals", "GET", "/api/processes", anyone())


@blp.post("/proposals")
@members_only
@blp.arguments(ProposalIn)
@blp.response(201, ProposalOut)
@blp.doc(security=AUTH)
def submit(data):
    return relay("proposals", "POST", "/api/proposals", signed_in(), json=data)


@blp.get("/proposals")
@blp.arguments(ListArgs, location="query")
@blp.response(200, ProposalPage)
def list_(args):
    return relay("proposals", "GET", "/api/proposals", anyone(), params=args)


@blp.get("/proposals/<proposal_id>")
@blp.response(200, ProposalOut)
def get(proposal_id):
    return relay("proposals", "GET", f"/api/proposals/{proposal_id}", anyone())


@blp.post("/proposals/<proposal_id>/moderation")
@members_only
@blp.arguments(ModerationIn)
@blp.response(200, ProposalOut)
@blp.doc(security=AUTH)
def moderate(data, proposal_id):
    return relay("proposals", "POST", f"/api/proposals/{proposal_id}/moderation", signed_in(), json=data)


@blp.post("/proposals/<proposal_id>/voting/open")
@members_only
@blp.response(200, VoteOut)
@blp.doc(security=AUTH)
def open_voting(proposal_id):
    return relay("voting", "POST", f"/api/votes/{proposal_id}/open", signed_in())


@blp.post("/proposals/<proposal_id>/voting/close")
@members_only
@blp.response(200, VoteOut)
@blp.doc(security=AUTH)
def close_voting(proposal_id):
    return relay("voting", "POST", f"/api/votes/{proposal_id}/close", signed_in())


@blp.put("/proposals/<proposal_id>/ballot")
@members_only
@blp.arguments(BallotIn)
@blp.response(200, BallotOut)
@blp.doc(security=AUTH)
def ballot(data, proposal_id):
    return relay("voting", "PUT", f"/api/votes/{proposal_id}/ballot", signed_in(), json=data)


@blp.get("/proposals/<proposal_id>/results")
@blp.response(200, ResultsOut)
def results(proposal_id):
    return relay("voting", "GET", f"/api/votes/{proposal_id}/results", anyone())


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


@blp.get("/inbox")
@members_only
@blp.arguments(InboxArgs, location="query")
@blp.response(200, InboxOut)
@blp.doc(security=AUTH)
def inbox(args):
    return relay("notifications", "GET", "/api/inbox", signed_in(), params=args)
