"""Operations relayed to the notifications service."""
from __future__ import annotations

from gateway.access import INBOX_OWNERS, MEMBERS
from gateway.routes.op import rows
from notifications import schemas as n

NOTIFICATIONS = rows("notifications", "notifications", [
    ("inbox", "GET /inbox", "/api/inbox", INBOX_OWNERS, "The signed-in person's inbox.",
     {"query": n.InboxArgs, "out": n.InboxOut, "personal": True}),
    ("mark_inbox_item_read", "POST /inbox/{item_id}/read", "/api/inbox/{item_id}/read", INBOX_OWNERS,
     "Mark an item of one's own inbox as read.", {"out": n.ReadOut, "personal": True}),
    ("follow_proposal", "PUT /proposals/{proposal_id}/follow", "/api/follows/{proposal_id}", MEMBERS,
     "Hear about the proposal: its vote, forwarding and the institution's reply.",
     {"out": n.FollowOut, "fixed_body": {"reason": "followed"}, "within": "get_proposal"}),
    ("unfollow_proposal", "DELETE /proposals/{proposal_id}/follow", "/api/follows/{proposal_id}", MEMBERS,
     "Stop following.", {"out": n.FollowOut, "within": "get_proposal"}),
])
