"""Events that arrive before the events they depend on.

A service that reads several topics sees them in no particular order across topics: after a
restart, a backlog of `civic.forwarding` may be read before the `civic.proposals` event that tells
notifications who wrote the proposal. Retrying such an event in place cannot help, since the loop
reads nothing else meanwhile. So a handler raises `NotYet`, and the consumer loop sets the
partition aside: it seeks back to the event, pauses the partition, reads the others, and resumes
it after a pause that grows (0.2 s, 0.4 s, ... up to 5 s). Order within the partition is kept,
the committed offset never passes the waiting event (a crash meanwhile loses nothing), and an event
still waiting after CIVIC_CONSUMER_WAIT_SECONDS is parked on the dead-letter topic like any other
event that keeps failing."""
from __future__ import annotations

import logging
import time

from kafka import TopicPartition

log = logging.getLogger(__name__)
FIRST_PAUSE, LONGEST_PAUSE = 0.2, 5.0


class NotYet(LookupError):
    """The event needs another one that has not been applied yet: read it again a little later."""


class Deferrals:
    """The partitions a consumer has set aside, each waiting on the event at its position."""

    def __init__(self, service: str, limit_seconds: float):
        self.service, self.limit = service, limit_seconds
        self.first_seen: dict[tuple[str, int, int], float] = {}  # (topic, partition, offset) -> when
        self.paused: dict[TopicPartition, tuple[float, float]] = {}  # -> (resume at, pause)

    def expired(self, message) -> bool:
        """True once the message has waited longer than the limit (then it is forgotten here)."""
        key = (message.topic, message.partition, message.offset)
        first = self.first_seen.setdefault(key, time.monotonic())
        if time.monotonic() - first < self.limit:
            return False
        del self.first_seen[key]
        return True

    def defer(self, consumer, message, reason: str) -> None:
        """Read `message` again later; nothing after it on its partition is read before it."""
        tp = TopicPartition(message.topic, message.partition)
        _, last = self.paused.get(tp, (0.0, FIRST_PAUSE / 2))
        pause = min(LONGEST_PAUSE, last * 2)
        consumer.seek(tp, message.offset)
        consumer.pause(tp)
        self.paused[tp] = (time.monotonic() + pause, pause)
        log.info("%s sets %s[%d]@%d aside for %.1f s: %s", self.service, message.topic, message.partition,
                 message.offset, pause, reason)

    def done(self, message) -> None:
        """The message was applied (or parked): its partition starts with short pauses again."""
        self.first_seen.pop((message.topic, message.partition, message.offset), None)
        tp = TopicPartition(message.topic, message.partition)
        if tp in self.paused and self.paused[tp][0] <= time.monotonic():
            del self.paused[tp]

    def resume_due(self, consumer) -> None:
        """Resume the partitions whose pause is over (and forget those no longer assigned)."""
        now, assigned = time.monotonic(), consumer.assignment()
        for tp, (resume_at, pause) in list(self.paused.items()):
            if tp not in assigned:  # revoked: its next owner reads it from the committed offset
                del self.paused[tp]
                self.first_seen = {k: v for k, v in self.first_seen.items() if k[:2] != (tp.topic, tp.partition)}
            elif resume_at <= now and tp in consumer.paused():
                consumer.resume(tp)
                self.paused[tp] = (now, pause)  # kept for the next pause's length until its event is done
