"""HTTP API of the notifications service."""
from flask_smorest import Blueprint

from notifications import follows, handlers
from notifications.schemas import FollowIn, FollowOut, InboxArgs, InboxOut, ReadOut
from services.auth import caller

blp = Blueprint("notifications", __name__, url_prefix="/api")


@blp.get("/inbox")
@blp.arguments(InboxArgs, location="query")
@blp.response(200, InboxOut)
def inbox(args):
    return handlers.inbox(caller(), args["lang"], args["page"], args["per_page"], unread_only=args["unread"])


@blp.post("/inbox/<item_id>/read")
@blp.response(200, ReadOut)
def read(item_id):
    return handlers.mark_read(caller(), item_id)


@blp.put("/follows/<proposal_id>")
@blp.arguments(FollowIn)
@blp.response(200, FollowOut)
def follow(data, proposal_id):
    return follows.follow(caller(), proposal_id, data["reason"])


@blp.delete("/follows/<proposal_id>")
@blp.response(200, FollowOut)
def unfollow(proposal_id):
    return follows.unfollow(caller(), proposal_id)
