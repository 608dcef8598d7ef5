"""Notification preferences in the notifications service: per kind, the e-mail at once, in the daily
digest (one mail of what accumulated) or never (the inbox shows everything either way); every mail
of such a kind carries a signed unsubscribe link that turns its kind off without signing in."""
from __future__ import annotations

import re

import pymongo
import requests

from services.local.smtp_server import read_mailbox
from services.settings import get_settings
from tests.support import Client, poll, register, staff_of

UNSUBSCRIBE = re.compile(r"http://\S+/unsubscribe/([A-Za-z0-9_.:@-]+)")
DIGEST = "Your daily summary from the participation platform"


def decide(staff: Client, author: Client, title: str, **decision) -> str:
    proposal = author.submit(title=title)
    answer = staff.post(f"/proposals/{proposal['id']}/moderation", json=decision)
    assert answer.status_code == 200, answer.text
    return proposal["id"]


def mail_statuses(user_id: str) -> list[tuple[str, str]]:
    """(kind, status) of the person's mails, oldest first."""
    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        rows = client[settings.database("notifications")]["mails"].find({"user_id": user_id}).sort("created_at", 1)
        return [(row["kind"], row["status"]) for row in rows]


def inbox_kinds(client: Client) -> list[str]:
    return [item["kind"] for item in client.get("/inbox", params={"per_page": 100}).json()["items"]]


def test_daily_kinds_come_in_one_digest_and_never_kinds_only_in_the_inbox(platform, gateway):
    author, staff = register(gateway, language="en"), staff_of(gateway)
    chosen = author.put("/me/notification-preferences", params={"lang": "en"}, json={"modes": {
        "proposals.proposal_published": "daily", "proposals.proposal_rejected": "daily",
        "proposals.changes_requested": "never"}})
    assert chosen.status_code == 200, chosen.text
    modes = {k["kind"]: k["mode"] for k in chosen.json()["kinds"]}
    assert modes["proposals.proposal_published"] == "daily" and modes["proposals.changes_requested"] == "never"
    assert modes["forwarding.institution_replied"] == "immediately"  # not named: as it was
    assert "proposals.pending_summary" not in modes  # a staff kind: not a resident's to choose

    decide(staff, author, "Published, told in the digest", decision="approve", competence="national")
    decide(staff, author, "Rejected, told in the digest", decision="reject", reason="Already planned.")
    decide(staff, author, "Changes asked, told nowhere but the inbox", decision="request_changes",
           note="Add a place.")
    poll(lambda: len(inbox_kinds(author)) == 3, 30, "the three items in the inbox")
    me = author.get("/me").json()["id"]
    poll(lambda: ("proposals.changes_requested", "skipped") in mail_statuses(me), 30, "the never-kind skipped")

    digests = poll(lambda: read_mailbox(platform.maildir, to=author.email), 60, "the digest")
    assert [m["Subject"] for m in digests] == [DIGEST]  # one mail, nothing sent on its own
    text = digests[0].get_content()
    assert "Your proposal was published" in text and "Published, told in the digest" in text
    assert "Your proposal was not published" in text and "Already planned." in text
    assert "Add a place." not in text
    assert len(set(UNSUBSCRIBE.findall(text))) == 2 and "/me/notifications" in text  # one link per kind
    poll(lambda: sorted(mail_statuses(me)) == [("proposals.changes_requested", "skipped"),
                                               ("proposals.proposal_published", "digested"),
                                               ("proposals.proposal_rejected", "digested")], 10,
         "the digested mails marked (just after the digest is handed to the SMTP server)")


def test_every_mail_carries_an_unsubscribe_link_that_works_without_signing_in(platform, gateway):
    author, staff = register(gateway, language="en"), staff_of(gateway)
    decide(staff, author, "Told at once, with the link", decision="approve", competence="national")
    mail = poll(lambda: read_mailbox(platform.maildir, to=author.email), 30, "the publication mail")[0]
    token = UNSUBSCRIBE.search(mail.get_content()).group(1)
    assert mail["List-Unsubscribe"] == f"<{gateway}/unsubscribe/{token}>"
    assert "/me/notifications" in mail.get_content()

    anyone = requests.Session()
    link = f"{gateway}/api/v1/unsubscribe/{token}"
    shown = anyone.get(link, params={"lang": "en"}, timeout=30)
    assert shown.status_code == 200
    assert shown.json() == {"kind": "proposals.proposal_published", "subject": "Your proposal was published",
                            "mode": "immediately"}
    assert anyone.post(link, params={"lang": "en"}, timeout=30).json()["mode"] == "never"
    assert anyone.post(link, timeout=30).status_code == 200  # again: still off
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert anyone.get(f"{gateway}/api/v1/unsubscribe/{forged}", timeout=30).status_code == 404
    other_kind = token.replace("proposals.proposal_published", "proposals.proposal_rejected")
    assert anyone.post(f"{gateway}/api/v1/unsubscribe/{other_kind}", timeout=30).status_code == 404

    kinds = {k["kind"]: k["mode"] for k in author.get("/me/notification-preferences").json()["kinds"]}
    assert kinds["proposals.proposal_published"] == "never"
    decide(staff, author, "Told only in the inbox now", decision="approve", competence="national")
    poll(lambda: inbox_kinds(author).count("proposals.proposal_published") == 2, 30, "the second inbox item")
    me = author.get("/me").json()["id"]
    poll(lambda: len(mail_statuses(me)) == 2 and mail_statuses(me)[1][1] != "pending", 30,
         "the second mail to be dealt with")
    assert mail_statuses(me) == [("proposals.proposal_published", "sent"), ("proposals.proposal_published", "skipped")]
    assert len(read_mailbox(platform.maildir, to=author.email)) == 1


def test_preferences_are_validated_by_kind_and_mode(gateway):
    resident = register(gateway)
    unknown = resident.put("/me/notification-preferences", json={"modes": {"no.such_kind": "never"}})
    assert unknown.status_code == 422 and "no.such_kind" in unknown.json()["errors"]["json"]["modes"]
    staff_kind = resident.put("/me/notification-preferences", json={"modes": {"proposals.pending_summary": "never"}})
    assert staff_kind.status_code == 422
    bad_mode = resident.put("/me/notification-preferences", json={"modes": {"proposals.proposal_published": "hourly"}})
    assert bad_mode.status_code == 422 and "modes" in bad_mode.json()["errors"]["json"]
    assert resident.put("/me/notification-preferences", json={}).status_code == 422
    staff = staff_of(gateway)
    kinds = {k["kind"] for k in staff.get("/me/notification-preferences").json()["kinds"]}
    assert {"proposals.pending_summary", "proposals.proposal_published"} <= kinds
    assert Client(gateway).get("/me/notification-preferences").status_code == 401
