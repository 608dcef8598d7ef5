"""A burst of mails (a staff alert, a conclusion to its followers: one mail per person) is sent in
batches (notifications.sending): each mailer's round claims up to 20, and sends them over one SMTP
connection. The local SMTP server records each message's client address and port (X-Peer), so the
connections can be counted."""
from __future__ import annotations

import time
import uuid

import pymongo

from services.db import utcnow
from services.local.smtp_server import read_mailbox
from services.settings import get_settings
from tests.support import poll

BURST = 40


def test_a_burst_of_mails_goes_out_in_batches_each_mail_once(platform):
    run = uuid.uuid4().hex[:8]
    addresses = [f"burst-{run}-{n}@example.org" for n in range(BURST)]
    now = utcnow()
    mails = [{"_id": f"burst:{run}:{n}", "user_id": f"mailto:{address}", "kind": "accounts.sign_in_failures_burst",
              "values": {"failures": 10, "minutes": 15}, "email": address, "language": "en", "status": "pending",
              "attempts": 0, "created_at": now, "next_attempt_at": now} for n, address in enumerate(addresses)]
    settings = get_settings()
    started = time.monotonic()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        client[settings.database("notifications")]["mails"].insert_many(mails)
        delivered = poll(lambda: (found := [m for m in read_mailbox(platform.maildir)
                                            if f"burst-{run}-" in (m.get("To") or "")]) and len(found) >= BURST and found,
                         60, f"the {BURST} mails of the burst")
        took = time.monotonic() - started
        stored = client[settings.database("notifications")]["mails"]
        poll(lambda: {son["status"] for son in stored.find({"_id": {"$in": [m["_id"] for m in mails]}})} == {"sent"},
             30, "every mail of the burst marked sent")
    assert sorted(m["To"] for m in delivered) == sorted(addresses)  # each once
    connections = {m["X-Peer"] for m in delivered}
    print(f"mail burst: {BURST} mails delivered within {took:.1f} s over {len(connections)} SMTP connections")
    assert len(connections) <= BURST // 4, connections  # a connection per mail before
