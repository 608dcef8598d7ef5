"""Operations relayed to the notifications service."""
from __future__ import annotations

from gateway.access import AUTHORS, EVERYONE_NATIONAL, INBOX_OWNERS, MEMBERS
from gateway.routes.op import rows
from notifications import schemas as n

NOTIFICATIONS = rows("notifications", "notifications", [
    ("inbox", "GET /inbox", "/api/inbox", INBOX_OWNERS, "The signed-in person's inbox.",
     {"query": n.InboxArgs, "out": n.InboxOut, "personal": True}),
    ("mark_inbox_item_read", "POST /inbox/{item_id}/read", "/api/inbox/{item_id}/read", INBOX_OWNERS,
     "Mark an item of one's own inbox as read.", {"out": n.ReadOut, "personal": True}),
    ("notification_preferences", "GET /me/notification-preferences", "/api/preferences", INBOX_OWNERS,
     "How one's e-mails of each kind are sent: immediately, in the daily digest or never (the inbox shows "
     "everything).", {"query": n.LanguageArgs, "out": n.PreferencesOut, "personal": True}),
    ("set_notification_preferences", "PUT /me/notification-preferences", "/api/preferences", INBOX_OWNERS,
     "Choose how one's e-mails of the named kinds are sent.",
     {"query": n.LanguageArgs, "body": n.PreferencesIn, "out": n.PreferencesOut, "personal": True}),
    ("unsubscribe_link", "GET /unsubscribe/{token}", "/api/unsubscribe/{token}", EVERYONE_NATIONAL,
     "What the unsubscribe link of an e-mail turns off (the link is the proof: no signing in).",
     {"query": n.LanguageArgs, "out": n.UnsubscribedOut}),
    ("unsubscribe", "POST /unsubscribe/{token}", "/api/unsubscribe/{token}", EVERYONE_NATIONAL,
     "Turn off the e-mails of the link's kind for the person it was sent to (no signing in).",
     {"query": n.LanguageArgs, "out": n.UnsubscribedOut}),
    ("my_follows", "GET /me/follows", "/api/follows", AUTHORS,
     "The proposals one follows and why: supported, voted on (never how) or followed.",
     {"out": n.FollowsOut, "personal": True}),
    ("follow_proposal", "PUT /proposals/{proposal_id}/follow", "/api/follows/{proposal_id}", MEMBERS,
     "Hear about the proposal: its vote, forwarding and the institution's reply.",
     {"out": n.FollowOut, "fixed_body": {"reason": "followed"}, "within": "get_proposal"}),
    ("unfollow_proposal", "DELETE /proposals/{proposal_id}/follow", "/api/follows/{proposal_id}", MEMBERS,
     "Stop following.", {"out": n.FollowOut, "within": "get_proposal"}),
])
