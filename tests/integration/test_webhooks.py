"""Outbound webhooks against a receiving HTTP server started here: signed POSTs (verified with the
subscription's secret), a retry after a 500, one delivery per event and subscription even when the
broker delivers the event again, and a subscription disabled after repeated failures."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pymongo
import pytest

from services.bus import make_producer
from services.events import SYSTEM, encode, make_event
from services.settings import get_settings
from tests.support import operator_of, poll, published_for_voting, register, staff_of, user_id


class Receiver:
    """A newsroom's endpoint: records every POST; answers 500 to the first `fail_first` of each
    delivery id (or to everything with `always_fail`)."""

    def __init__(self, fail_first: int = 0, always_fail: bool = False):
        self.received: list[dict] = []
        self.fail_first, self.always_fail = fail_first, always_fail
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                delivery = self.headers["X-Civic-Delivery"]
                seen = sum(1 for r in receiver.received if r["delivery"] == delivery)
                fail = receiver.always_fail or seen < receiver.fail_first
                receiver.received.append({"delivery": delivery, "headers": dict(self.headers), "body": body,
                                          "answered": 500 if fail else 200})
                self.send_response(500 if fail else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def ok(self) -> list[dict]:
        return [r for r in self.received if r["answered"] == 200]


@pytest.fixture
def receiver():
    made = Receiver(fail_first=1)
    yield made
    made.close()


MADE: list[str] = []


@pytest.fixture(autouse=True, scope="module")
def _disable_ours(gateway):
    """The platform is shared: subscriptions made here stop when this module ends."""
    yield
    for subscription_id in MADE:
        operator_of(gateway).post(f"/webhooks/{subscription_id}/disable")


def subscribe(gateway, url: str, events: list[str]) -> dict:
    answer = operator_of(gateway).post("/webhooks", json={"url": url, "events": events, "municipality": "idrija",
                                                          "description": "Newsroom test"})
    assert answer.status_code == 201, answer.text
    MADE.append(answer.json()["id"])
    return answer.json()


def test_signed_delivery_retried_after_a_500_and_only_operators_subscribe(gateway, receiver):
    staff = staff_of(gateway)
    assert staff.post("/webhooks", json={"url": receiver.url, "events": ["proposal.published"]}).status_code == 403
    assert operator_of(gateway).post("/webhooks", json={"url": "ftp://x", "events": ["nope"]}).status_code == 422
    subscription = subscribe(gateway, receiver.url, ["proposal.published"])
    secret = subscription["secret"]
    assert "secret" not in operator_of(gateway).get(f"/webhooks/{subscription['id']}").json()
    author = register(gateway)
    pid = published_for_voting(author, staff, theme="health")
    delivered = poll(lambda: [r for r in receiver.ok() if json.loads(r["body"])["data"]["proposal_id"] == pid],
                     60, "the webhook delivery after a retry")[0]
    attempts = [r for r in receiver.received if r["delivery"] == delivered["delivery"]]
    assert [a["answered"] for a in attempts] == [500, 200]
    headers, body = delivered["headers"], delivered["body"]
    expected = "sha256=" + hmac.new(secret.encode(), headers["X-Civic-Timestamp"].encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Civic-Signature"], expected)
    assert abs(time.time() - int(headers["X-Civic-Timestamp"])) < 120
    document = json.loads(body)
    assert document["event"] == "proposal.published" and document["municipality"] == "idrija"
    assert user_id(author) not in body.decode() and author.email not in body.decode()
    rows = poll(lambda: [d for d in operator_of(gateway).get(f"/webhooks/{subscription['id']}/deliveries").json()
                         ["items"] if d["status"] == "delivered"], 30, "the delivery recorded")
    assert rows[0]["attempts"] == 2 and rows[0]["last_status_code"] == 200


def test_a_redelivered_event_is_delivered_once_per_subscription(gateway, receiver):
    receiver.fail_first = 0
    subscription = subscribe(gateway, receiver.url, ["proposal.published"])
    second = subscribe(gateway, receiver.url, ["proposal.published"])
    staff, author = staff_of(gateway), register(gateway)
    pid = published_for_voting(author, staff, theme="health")
    poll(lambda: len({r["delivery"] for r in receiver.ok() if pid in r["body"].decode()}) == 2, 60,
         "one delivery per subscription")
    settings = get_settings()
    outbox = pymongo.MongoClient(settings.mongo_uri)[settings.database("proposals")]["outbox"]
    original = outbox.find_one({"key": pid, "event.event_type": "proposals.proposal_published"})["event"]
    sentinel = make_event("proposals.proposal_published", municipality="idrija", aggregate_id=pid,
                          actor=SYSTEM, payload=original["payload"])
    producer = make_producer()
    for event in (original, original, sentinel):  # the broker delivers it again (same key: same partition)
        producer.send(settings.topic("proposals"), key=pid.encode(), value=encode(event))
    producer.flush()
    producer.close()
    poll(lambda: [r for r in receiver.ok() if sentinel["event_id"] in r["body"].decode()], 60, "the sentinel")
    for sub in (subscription, second):
        items = operator_of(gateway).get(f"/webhooks/{sub['id']}/deliveries").json()["items"]
        assert [d["event_id"] for d in items].count(original["event_id"]) == 1
    bodies = [r for r in receiver.ok() if original["event_id"] in r["body"].decode()]
    assert len(bodies) == 2 and len({r["delivery"] for r in bodies}) == 2


def test_a_subscription_is_disabled_after_repeated_failures_and_enabled_again(gateway):
    failing = Receiver(always_fail=True)
    try:
        subscription = subscribe(gateway, failing.url, ["proposal.published"])
        staff, author = staff_of(gateway), register(gateway)
        for _ in range(3):
            published_for_voting(author, staff, theme="health")
        operator = operator_of(gateway)
        disabled = poll(lambda: (s := operator.get(f"/webhooks/{subscription['id']}").json())["active"] is False
                        and s, 90, "the subscription disabled")
        assert disabled["disabled_reason"] == "failures" and disabled["deliveries"]["abandoned"] >= 3
        assert operator.post(f"/webhooks/{subscription['id']}/disable").status_code == 409
        enabled = operator.post(f"/webhooks/{subscription['id']}/enable")
        assert enabled.status_code == 200 and enabled.json()["active"] and enabled.json()["abandoned_in_row"] == 0
    finally:
        failing.close()
