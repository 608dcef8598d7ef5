"""Public API: Voting, relayed to the voting service."""
from gateway.api.common import AUTH, anyone, blp, members_only, signed_in
from gateway.clients import relay
from voting.schemas import BallotIn, BallotOut, ResultsOut, VoteOut


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
