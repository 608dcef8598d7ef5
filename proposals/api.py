"""HTTP API of the proposals service (called by the gateway with a service token)."""
from __future__ import annotations

from flask_smorest import Blueprint

from proposals import handlers
from proposals.schemas import ListArgs, ModerationIn, ProcessOut, ProposalIn, ProposalOut, ProposalPage
from services.auth import caller

blp = Blueprint("proposals", __name__, url_prefix="/api")


@blp.post("/proposals")
@blp.arguments(ProposalIn)
@blp.response(201, ProposalOut)
def submit(data):
    return handlers.submit_proposal(caller(), data)


@blp.get("/proposals")
@blp.arguments(ListArgs, location="query")
@blp.response(200, ProposalPage)
def list_(args):
    return handlers.list_proposals(caller(), args)


@blp.get("/proposals/<proposal_id>")
@blp.response(200, ProposalOut)
def get(proposal_id):
    return handlers.get_proposal(caller(), proposal_id)


@blp.post("/proposals/<proposal_id>/moderation")
@blp.arguments(ModerationIn)
@blp.response(200, ProposalOut)
def moderate(data, proposal_id):
    return handlers.moderate_proposal(caller(), proposal_id, data)


@blp.get("/processes")
@blp.response(200, ProcessOut(many=True))
def processes():
    return handlers.list_processes(caller())
