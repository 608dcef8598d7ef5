"""HTTP API of the voting service."""
from flask_smorest import Blueprint

from services.auth import caller
from voting import handlers
from voting.schemas import BallotIn, BallotOut, ResultsOut, VoteOut

blp = Blueprint("voting", __name__, url_prefix="/api")


@blp.post("/votes/<vote_id>/open")
@blp.response(200, VoteOut)
def open_(vote_id):
    return handlers.open_voting(caller(), vote_id)


@blp.post("/votes/<vote_id>/close")
@blp.response(200, VoteOut)
def close(vote_id):
    return handlers.close_voting(caller(), vote_id)


@blp.put("/votes/<vote_id>/ballot")
@blp.arguments(BallotIn)
@blp.response(200, BallotOut)
def ballot(data, vote_id):
    return handlers.cast_ballot(caller(), vote_id, data["choice"])


@blp.get("/votes/<vote_id>/results")
@blp.response(200, ResultsOut)
def results(vote_id):
    return handlers.results(caller(), vote_id)
