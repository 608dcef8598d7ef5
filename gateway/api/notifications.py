"""Public API: The signed-in person's inbox, relayed to the notifications service."""
from gateway.api.common import AUTH, blp, members_only, signed_in
from gateway.clients import relay
from notifications.schemas import InboxArgs, InboxOut


@blp.get("/inbox")
@members_only
@blp.arguments(InboxArgs, location="query")
@blp.response(200, InboxOut)
@blp.doc(security=AUTH)
def inbox(args):
    return relay("notifications", "GET", "/api/inbox", signed_in(), params=args)
