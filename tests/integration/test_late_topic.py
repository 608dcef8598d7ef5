"""A consumer group that formed before one of its topics existed reads the topic once it is created,
within seconds (a platform whose topics an operator creates after the workers start loses nothing)."""
from __future__ import annotations

import threading
import uuid

import pytest

from kafka import KafkaAdminClient

from services.bus import EventConsumer, ensure_topics, make_producer
from services.events import SYSTEM, encode, make_event
from services.settings import get_settings
from tests.support import poll


def _formed(group: str) -> bool:
    """Is the group stable with its one member?"""
    admin = KafkaAdminClient(bootstrap_servers=get_settings().kafka_bootstrap, client_id="civic-test")
    try:
        described = admin.describe_groups([group]).get(group) or {}
        return described.get("group_state") == "Stable" and len(described.get("members") or []) == 1
    finally:
        admin.close()


def test_a_topic_created_after_the_group_formed_is_read_within_seconds(platform):
    if platform.broker == "tansu":
        pytest.skip("kafka-python cannot decode Tansu's DescribeGroups answer (the group's members are unknown)")
    name = f"late-{uuid.uuid4().hex[:8]}"
    topic = f"civic.test-{name}"
    applied: list[dict] = []
    consumer = EventConsumer(name, {"voting.voting_opened": applied.append}, [topic])
    stop = threading.Event()
    reading = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    reading.start()
    try:
        poll(lambda: _formed(f"{name}-worker"), 30, "the group to form without its topic")
        ensure_topics([topic])
        event = make_event("voting.voting_opened", municipality="idrija", aggregate_id="p-late", actor=SYSTEM,
                           payload={"proposal_id": "p-late"})
        producer = make_producer()
        producer.send(topic, key=b"p-late", value=encode(event))
        producer.flush()
        producer.close()
        poll(lambda: [e for e in applied if e["event_id"] == event["event_id"]], 20,
             "the event on the topic created after the group formed")
    finally:
        stop.set()
        reading.join(30)
