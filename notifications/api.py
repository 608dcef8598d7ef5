"""HTTP API of the notifications service."""
from flask_smorest import Blueprint

from notifications import handlers
from notifications.schemas import InboxArgs, InboxOut, ReadOut
from services.auth import caller

blp = Blueprint("notifications", __name__, url_prefix="/api")


@blp.get("/inbox")
@blp.arguments(InboxArgs, location="query")
@blp.response(200, InboxOut)
def inbox(args):
    return handlers.inbox(caller(), args["lang"], args["page"], args["per_page"])


@blp.post("/inbox/<item_id>/read")
@blp.response(200, ReadOut)
def read(item_id):
    return handlers.mark_read(caller(), item_id)
