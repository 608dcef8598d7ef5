"""A consumer whose group was formed with none of its partitions assigned joins again and reads
(services.consumer_watch): the group's leader is made to assign from metadata without partitions, as
kafka-python's leader once did, and the event published before it must still be applied."""
from __future__ import annotations

import threading
import uuid

import pytest

from kafka.coordinator.assignors.range import RangePartitionAssignor

from services.bus import EventConsumer, ensure_topics, make_producer
from services.consumer_watch import unread_partitions
from services.events import SYSTEM, encode, make_event
from tests.support import poll


class _Blind:
    """The cluster as a leader saw it that had no partition metadata yet."""

    def partitions_for_topic(self, topic):
        return None


class BlindRange(RangePartitionAssignor):
    @classmethod
    def assign(cls, cluster, members):
        return super().assign(_Blind(), members)


class FirstJoinBlind(EventConsumer):
    opened = 0

    def open(self, **overrides):
        self.opened += 1
        if self.opened == 1:
            overrides["partition_assignment_strategy"] = [BlindRange]
        return super().open(**overrides)


def test_a_consumer_formed_without_partitions_joins_again_and_applies_the_waiting_event(platform):
    if platform.broker == "tansu":
        pytest.skip("kafka-python cannot decode Tansu's DescribeGroups answer (the group's members are unknown)")
    name = f"watch-{uuid.uuid4().hex[:8]}"
    topic = f"civic.test-{name}"
    ensure_topics([topic])
    event = make_event("voting.voting_opened", municipality="idrija", aggregate_id="p-watch", actor=SYSTEM,
                       payload={"proposal_id": "p-watch"})
    producer = make_producer()
    producer.send(topic, key=b"p-watch", value=encode(event))
    producer.flush()
    producer.close()
    assert len(unread_partitions(f"{name}-worker", [topic])) == 3  # a group nobody is in reads nothing

    applied: list[dict] = []
    consumer = FirstJoinBlind(name, {"voting.voting_opened": applied.append}, [topic])
    consumer.unassigned_seconds = 1.0
    stop = threading.Event()
    reading = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    reading.start()
    try:
        poll(lambda: [e for e in applied if e["event_id"] == event["event_id"]], 30,
             "the event, read after the consumer joined again")
        assert consumer.opened == 2
        assert unread_partitions(f"{name}-worker", [topic]) == set()
    finally:
        stop.set()
        reading.join(30)
