"""Oversize messages: a consumer parks them on the dead-letter topic (a bounded prefix, the size,
the digest and the reason) and goes on in the same process; the outbox relay sets an event the
broker cannot take aside instead of retrying it for ever."""
from __future__ import annotations

import hashlib
import os
import time
import uuid

import pymongo
import requests
from click.testing import CliRunner

from services.bus import make_producer
from services.cli import main as civic
from services.dlq import read_dead_letters
from services.events import Actor, encode, make_event
from services.local.smtp_server import read_mailbox
from services.settings import get_settings
from tests.support import poll, published_for_voting, register, staff_of

INPUTS = ("proposals", "accounts")  # both are read by notifications; proposals also by voting, forwarding
READERS = {"proposals": {"notifications", "voting", "forwarding"}, "accounts": {"notifications"}}


def _oversize(marker: str) -> dict[bytes, bytes]:
    """A 1.5 MB event-shaped JSON message and 3 MB of garbage, keyed by `marker`."""
    event = make_event("proposals.proposal_published", municipality="idrija", aggregate_id=marker,
                       actor=Actor("staff", "s"), payload={
                           "proposal_id": marker, "process_id": "idrija-vkljucujoca", "title": "T",
                           "theme": "housing", "competence": "shared", "author_id": "a"})
    event["payload"]["title"] = "x" * 1_500_000
    return {f"{marker}-json".encode(): encode(event), f"{marker}-garbage".encode(): os.urandom(3_000_000)}


def _metric(platform, target: str, name: str, **labels) -> float:
    """The sum of a counter's samples with these labels on a service's /metrics page."""
    text = requests.get(f"{platform.url(target)}/metrics", timeout=10).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()))


def test_oversize_messages_are_parked_and_the_workers_go_on(platform, gateway):
    settings = get_settings()
    workers = {name: platform.procs[f"{name}-worker"].pid for name in ("notifications", "voting", "forwarding")}
    marker = f"big-{uuid.uuid4().hex[:8]}"
    sent = {}
    producer = make_producer(max_request_size=8_000_000)  # the test writes past the platform's limit
    for service in INPUTS:
        topic = settings.topic(service)
        for partition in sorted(producer.partitions_for(topic)):  # ahead of whatever comes next, everywhere
            for key, value in _oversize(f"{marker}-{service}-{partition}").items():
                producer.send(topic, key=key, value=value, partition=partition).get(timeout=30)
                sent[key] = (topic, value)
    producer.flush()
    producer.close()

    # Valid events after the oversize ones still take effect: voting projects the proposal and
    # notifications (which needed the author's account event) mails the author.
    staff, author = staff_of(gateway), register(gateway)
    published_for_voting(author, staff)
    poll(lambda: any(m["Subject"] == "Your proposal was published"
                     for m in read_mailbox(platform.maildir, to=author.email)), 60, "the author's mail")

    def parked():
        found = {}
        for service in INPUTS:
            for letter in read_dead_letters(f"{settings.topic(service)}.dlq"):
                if letter.key and letter.key.startswith(marker.encode()):
                    found.setdefault(letter.key, {})[letter.consumer] = letter
        complete = all(set(found.get(key, {})) >= READERS[topic.removeprefix(settings.topic_prefix)]
                       for key, (topic, _) in sent.items())
        return complete and found
    found = poll(parked, 60, "every oversize message parked by every consumer of its topic")
    for key, (topic, value) in sent.items():
        for letter in found[key].values():
            assert letter.error.startswith("oversize:") and str(len(value)) in letter.error, letter.error
            assert letter.source.startswith(f"{topic}:")
            assert letter.size == len(value) and letter.truncated
            assert letter.sha256 == hashlib.sha256(value).hexdigest()
            assert 0 < len(letter.value) <= 64 * 1024 and value.startswith(letter.value)

    for name, pid in workers.items():  # never restarted: the same process, still running
        assert platform.procs[f"{name}-worker"].pid == pid and platform.procs[f"{name}-worker"].alive(), name
    assert _metric(platform, "notifications", "civic_oversize_messages_total",
                   service="notifications", topic=settings.topic("accounts")) >= 6


def test_an_event_too_large_to_publish_is_set_aside_and_the_outbox_goes_on(platform, gateway):
    settings = get_settings()
    marker = f"huge-{uuid.uuid4().hex[:8]}"
    event = make_event("proposals.proposal_published", municipality="idrija", aggregate_id=marker,
                       actor=Actor("staff", "s"), payload={
                           "proposal_id": marker, "process_id": "idrija-vkljucujoca", "title": "x" * 1_500_000,
                           "theme": "housing", "competence": "shared", "author_id": "a"})
    database = pymongo.MongoClient(settings.mongo_uri)[settings.database("proposals")]
    parked_before = _metric(platform, "proposals", "civic_outbox_parked_total", service="proposals")
    # As a handler's unit of work would have written it: first in line for the proposals relay.
    database.outbox.insert_one({"_id": event["event_id"], "topic": settings.topic("proposals"), "key": marker,
                                "event": event, "ts": time.time_ns(), "sent_at": None})

    # The relay goes on: proposals published after it reach voting.
    staff, author = staff_of(gateway), register(gateway)
    published_for_voting(author, staff)

    parked = poll(lambda: database.outbox_parked.find_one({"_id": event["event_id"]}), 30, "the parked row")
    assert parked["reason"] == "oversize" and parked["size"] > 1_500_000, parked
    assert str(settings.max_message_bytes) in parked["error"]
    assert parked["event"]["event_id"] == event["event_id"] and parked["key"] == marker
    assert database.outbox.find_one({"_id": event["event_id"]}) is None  # no longer in the relay's way
    assert _metric(platform, "proposals", "civic_outbox_parked_total", service="proposals") == parked_before + 1
    listing = CliRunner().invoke(civic, ["outbox", "parked", "proposals"])
    assert listing.exit_code == 0, listing.output
    assert f"{event['event_id']} key {marker} {parked['size']} bytes, oversize" in listing.output
