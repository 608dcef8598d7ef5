"""One's data and closing one's account: the download gathers the account and what every service keeps
about the person, never how they voted; closing the account (the password confirms it) announces
accounts.account_deleted, and notifications forgets the person, idempotently, while their proposals
stay published and their ballots counted."""
from __future__ import annotations

import json

import pymongo
import requests

from services.bus import make_producer
from services.events import SYSTEM, encode, make_event
from services.settings import get_settings
from tests.support import PASSWORD, Client, outbox_types, poll, published_for_voting, register, staff_of, user_id


def database(service: str):
    settings = get_settings()
    return pymongo.MongoClient(settings.mongo_uri)[settings.database(service)]


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def test_the_download_has_the_person_s_data_from_every_service_and_never_a_choice(gateway):
    staff, author = staff_of(gateway), register(gateway, language="en")
    voter = register(gateway, eligible=True)
    pid = published_for_voting(author, staff, title="A proposal for the data download")
    comment = author.post(f"/proposals/{pid}/comments", json={"body": "My own argument.", "alignment": "for"})
    assert comment.status_code == 201
    assert voter.put(f"/proposals/{pid}/follow").status_code == 200
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    receipt = voter.put(f"/proposals/{pid}/ballot", json={"choice": "no"}).json()["receipt"]
    poll(lambda: author.get("/inbox").json()["total"] >= 1, 30, "the author's inbox item")

    answer = author.get("/me/data")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/json")
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = answer.json()
    assert data["account"]["email"] == author.email and data["account"]["language"] == "en"
    assert [p["id"] for p in data["proposals"]] == [pid]
    assert [c["body"] for c in data["comments"]] == ["My own argument."]
    assert data["inbox"][0]["subject"] == "Your proposal was published"
    assert {k["kind"] for k in data["notification_preferences"]["kinds"]} >= {"proposals.proposal_published"}
    assert data["eligibility"]["verified"] is False

    theirs = voter.get("/me/data").json()
    assert [(f["proposal_id"], f["reason"]) for f in theirs["follows"]] == [(pid, "followed")]
    assert theirs["eligibility"]["verified"] is True
    assert "choice" not in keys_of(theirs) and receipt not in json.dumps(theirs)  # never how they voted
    assert theirs["proposals"] == [] and theirs["comments"] == []


def test_closing_an_account_forgets_the_person_everywhere_but_keeps_what_they_published(gateway):
    staff, author = staff_of(gateway), register(gateway)
    me = user_id(author)
    published = published_for_voting(author, staff, title="Stays published without a name")
    pending = author.submit(title="Still waiting for moderation")["id"]
    assert author.put(f"/proposals/{published}/follow").status_code == 200
    poll(lambda: author.get("/inbox").json()["total"] >= 1, 30, "the author's inbox item")
    notifications = database("notifications")
    # The contact comes from the accounts topic, the inbox item from the proposals topic: no order between them.
    poll(lambda: notifications["contacts"].find_one({"_id": me}), 30, "notifications to know the author's contact")

    wrong = author.post("/me/deletion", json={"password": "not-my-password-1"})
    assert wrong.status_code == 422 and "password" in wrong.json()["errors"]["json"]
    assert author.post("/me/deletion", json={"password": PASSWORD}).json() == {"deleted": True}
    assert "accounts.account_deleted" in outbox_types(me, "gateway")

    # The account is gone at once: its token is refused, its e-mail address no longer signs in.
    assert author.get("/me").status_code == 401 and author.get("/inbox").status_code == 401
    signing_in = requests.post(f"{gateway}/api/v1/auth/login", json={"email": author.email, "password": PASSWORD},
                               timeout=30)
    assert signing_in.status_code == 401
    poll(lambda: notifications["forgotten_accounts"].find_one({"_id": me}), 30, "notifications to forget")
    for collection, query in (("contacts", {"_id": me}), ("inbox", {"user_id": me}), ("mails", {"user_id": me}),
                              ("follows", {"user_id": me}), ("preferences", {"_id": me})):
        assert notifications[collection].count_documents(query) == 0, collection
    assert Client(gateway).get(f"/proposals/{published}").status_code == 200  # still published

    # Redelivered, or replayed under a new id: nothing changes. News for the closed account reaches no one.
    original = database("gateway")["outbox"].find_one({"key": me, "event.event_type": "accounts.account_deleted"})
    original = original["event"]
    replay = make_event("accounts.account_deleted", municipality=original["municipality"], aggregate_id=me,
                        actor=SYSTEM, payload=original["payload"])
    producer = make_producer()
    for event in (original, original, replay):
        producer.send(get_settings().topic("accounts"), key=me.encode(), value=encode(event))
    producer.flush()
    producer.close()
    poll(lambda: notifications["processed_events"].find_one({"_id": f"notifications.erasure:{replay['event_id']}"}),
         30, "notifications to read the replay")
    assert notifications["forgotten_accounts"].count_documents({"_id": me}) == 1
    assert staff.post(f"/proposals/{pending}/moderation", json={"decision": "reject", "reason": "Duplicate."}
                      ).status_code == 200
    rejected = poll(lambda: database("proposals")["outbox"].find_one(
        {"key": pending, "event.event_type": "proposals.proposal_rejected"}), 30, "the rejection event")
    poll(lambda: notifications["processed_events"].find_one({"_id": f"notifications.authors:{rejected['_id']}"}),
         30, "notifications to handle the rejection")
    assert notifications["inbox"].count_documents({"user_id": me}) == 0
    assert notifications["mails"].count_documents({"user_id": me}) == 0


def test_only_residents_close_their_own_account(gateway):
    staff = staff_of(gateway)
    refused = staff.post("/me/deletion", json={"password": PASSWORD})
    assert refused.status_code == 403 and refused.json()["code"] == "role"
    assert Client(gateway).post("/me/deletion", json={"password": PASSWORD}).status_code == 401
    assert register(gateway).post("/me/deletion", json={}).status_code == 422
