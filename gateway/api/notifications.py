"""Public API: the signed-in person's inbox and follows, relayed to the notifications service."""
from gateway.api.common import AUTH, blp, members_only, signed_in
from gateway.clients import relay
from notifications.schemas import FollowOut, InboxArgs, InboxOut


@blp.get("/inbox")
@members_only
@blp.arguments(InboxArgs, location="query")
@blp.response(200, InboxOut)
@blp.doc(security=AUTH)
def inbox(args):
    return relay("notifications", "GET", "/api/inbox", signed_in(), params=args)


@blp.put("/proposals/<proposal_id>/follow")
@members_only
@blp.response(200, FollowOut)
@blp.doc(security=AUTH, description="Hear about the proposal: its vote, forwarding and the institution's reply.")
def follow(proposal_id):
    return relay("notifications", "PUT", f"/api/follows/{proposal_id}", signed_in(), json={"reason": "followed"})


@blp.delete("/proposals/<proposal_id>/follow")
@members_only
@blp.response(200, FollowOut)
@blp.doc(security=AUTH)
def unfollow(proposal_id):
    return relay("notifications", "DELETE", f"/api/follows/{proposal_id}", signed_in())
