"""Public API: Proposals and processes, relayed to the proposals service."""
from gateway.api.common import AUTH, anyone, blp, members_only, signed_in
from gateway.clients import relay
from proposals.schemas import (
    ListArgs,
    ModerationIn,
    ProcessOut,
    ProposalIn,
    ProposalOut,
    ProposalPage,
)


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
