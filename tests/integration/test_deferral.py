"""An event read before the event it needs (services.deferral): it is kept aside while the consumer
reads on, its partition and its other topics, then tried again; the committed offset does not pass
the waiting event, and an event that waits too long is parked."""
from __future__ import annotations

import uuid

import pytest
from kafka import KafkaConsumer, TopicPartition

from services.bus import EventConsumer, ensure_topics, make_producer
from services.deferral import NotYet
from services.events import SYSTEM, encode, make_event
from services.settings import get_settings
from tests.integration.test_consumer_watch import running
from tests.support import poll


@pytest.fixture
def topics(platform):
    name = f"defer-{uuid.uuid4().hex[:8]}"
    first, later = f"civic.test-{name}-a", f"civic.test-{name}-b"
    ensure_topics([first, later, f"{later}.dlq"])
    return name, first, later


def publish(topic: str, aggregate: str, key: str = "k") -> tuple[dict, TopicPartition, int]:
    """One event on `topic` (partition by `key`); the event, its partition and its offset."""
    event = make_event("voting.voting_opened", municipality="idrija", aggregate_id=aggregate, actor=SYSTEM,
                       payload={"proposal_id": aggregate})
    producer = make_producer()
    sent = producer.send(topic, key=key.encode(), value=encode(event)).get(timeout=30)
    producer.close()
    return event, TopicPartition(topic, sent.partition), sent.offset


class Needy:
    """A handler for which an event "needs-X" can be applied only after the event "X"."""

    def __init__(self):
        self.applied: list[str] = []
        self.tries: dict[str, int] = {}

    def __call__(self, event: dict) -> None:
        aggregate = event["aggregate_id"]
        self.tries[aggregate] = self.tries.get(aggregate, 0) + 1
        if aggregate.startswith("needs-") and aggregate.removeprefix("needs-") not in self.applied:
            raise NotYet(f"{aggregate.removeprefix('needs-')} not known yet")
        self.applied.append(aggregate)


def firsts(handler: Needy) -> list[str]:
    """The events in the order they were first applied. A consumer that starts over (a rebalance, the
    consumer watch) reads again from the committed offset, which by design is not past a waiting event:
    the platform's handlers are idempotent, this one records every application."""
    return list(dict.fromkeys(handler.applied))


def _committed(group: str, tp: TopicPartition) -> int | None:
    """The group's committed offset on `tp` (asked without joining the group)."""
    reader = KafkaConsumer(bootstrap_servers=get_settings().kafka_bootstrap, group_id=group,
                           enable_auto_commit=False)
    try:
        return reader.committed(tp)
    finally:
        reader.close()


def test_an_event_waits_for_the_one_it_needs_and_holds_up_nothing_else(topics):
    name, first, later = topics
    handler = Needy()
    consumer = EventConsumer(name, {"voting.voting_opened": handler}, [first, later])
    _, tp, waiting_at = publish(later, "needs-a")
    publish(later, "after-needs-a")  # same key, same partition: read while the first one waits
    with running(consumer):
        poll(lambda: handler.tries.get("needs-a", 0) >= 2, 30, "the waiting event to be tried again")
        poll(lambda: firsts(handler) == ["after-needs-a"], 30, "the event behind it, not held up")
        committed = _committed(f"{name}-worker", tp)
        assert committed is None or committed <= waiting_at  # a crash now would read it again
        publish(first, "a", key="other")  # the event it needs, on the other topic
        poll(lambda: firsts(handler) == ["after-needs-a", "a", "needs-a"], 30,
             "the needed event, then the waiting one")
        poll(lambda: _committed(f"{name}-worker", tp) == waiting_at + 2, 30, "the offset past both")


def test_an_event_that_waits_too_long_is_parked_on_the_dead_letter_topic(topics):
    name, _first, later = topics
    handler = Needy()
    consumer = EventConsumer(name, {"voting.voting_opened": handler}, [later])
    consumer.deferrals.limit = 1.0
    event, _, _ = publish(later, "needs-nothing-that-comes")
    publish(later, "behind-it")
    with running(consumer):
        poll(lambda: firsts(handler) == ["behind-it"], 30, "the event behind the waiting one, not held up")
        poll(lambda: handler.tries.get("needs-nothing-that-comes", 0) >= 2 and not consumer.deferrals.waiting, 30,
             "the waiting event to be given up")
    parked = KafkaConsumer(later + ".dlq", bootstrap_servers=get_settings().kafka_bootstrap,
                           auto_offset_reset="earliest", consumer_timeout_ms=10000)
    try:
        letters = list(parked)
    finally:
        parked.close()
    assert [dict(m.headers)["dlq.error"].decode() for m in letters] == [
        "still not applicable after waiting (at most 1 s): nothing-that-comes not known yet"]
    assert event["event_id"].encode() in letters[0].value
