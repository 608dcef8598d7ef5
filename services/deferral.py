"""Events that arrive before the events they depend on.

A service that reads several topics sees them in no particular order across topics: after a
restart, a backlog of `civic.forwarding` may be read before the `civic.proposals` event that tells
notifications who wrote the proposal. Retrying such an event in place cannot help, since the loop
reads nothing else meanwhile. So a handler raises `NotYet`, and the consumer loop keeps the event
aside in memory, goes on with the events after it, and tries it again after a pause that grows
(0.2 s, 0.4 s, ... up to 5 s). The committed offset of its partition stays at the waiting event,
so a crash meanwhile loses nothing (what was applied after it is read again, and is a duplicate).
An event still waiting after CIVIC_CONSUMER_WAIT_SECONDS is parked on the dead-letter topic like
any other event that keeps failing; so is one that would make the waiting room hold more than
`MOST` events. A waiting event holds up nothing else: one that never becomes applicable (a dossier
of a proposal this service never heard of) costs its own wait, not its partition's."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from kafka import TopicPartition
from kafka.structs import OffsetAndMetadata

log = logging.getLogger(__name__)
FIRST_PAUSE, LONGEST_PAUSE = 0.2, 5.0
MOST = 1000  # events waiting at once, at most


class NotYet(LookupError):
    """The event needs another one that has not been applied yet: read it again a little later."""


@dataclass
class _Waiting:
    message: object
    since: float
    next_try: float
    pause: float


class Deferrals:
    """The events a consumer keeps aside, and the offsets it may commit meanwhile."""

    def __init__(self, service: str, limit_seconds: float):
        self.service, self.limit = service, limit_seconds
        self.waiting: dict[tuple[TopicPartition, int], _Waiting] = {}
        self.consumed: dict[TopicPartition, int] = {}  # the offset after the last message read

    def read(self, message) -> None:
        """Note that `message` was read (applied, parked or set aside)."""
        tp = TopicPartition(message.topic, message.partition)
        self.consumed[tp] = max(self.consumed.get(tp, 0), message.offset + 1)

    def keep(self, message, reason: str) -> str | None:
        """Keep `message` aside to try again later; or, if it cannot wait any more (it has waited
        the limit, or the waiting room is full), why not (then the caller parks it)."""
        now, key = time.monotonic(), _key(message)
        entry = self.waiting.get(key)
        if entry is None and len(self.waiting) >= MOST:
            return f"{MOST} events are waiting already"
        if entry is not None and now - entry.since >= self.limit:
            return f"still not applicable after waiting (at most {self.limit:.0f} s)"
        pause = FIRST_PAUSE if entry is None else min(LONGEST_PAUSE, entry.pause * 2)
        self.waiting[key] = _Waiting(message, entry.since if entry else now, now + pause, pause)
        log.log(logging.INFO if entry is None else logging.DEBUG, "%s keeps %s[%d]@%d aside: %s",
                self.service, message.topic, message.partition, message.offset, reason)
        return None

    def done(self, message) -> None:
        """The message was applied (or parked)."""
        self.waiting.pop(_key(message), None)

    def due(self, assigned) -> list:
        """The waiting messages to try again now, in order (those of partitions no longer assigned to
        this consumer are forgotten: their next owner reads them from the committed offset)."""
        for key in [k for k in self.waiting if k[0] not in assigned]:
            del self.waiting[key]
        for tp in [tp for tp in self.consumed if tp not in assigned]:
            del self.consumed[tp]
        now = time.monotonic()
        return [w.message for key, w in sorted(self.waiting.items()) if w.next_try <= now]

    def offsets(self) -> dict[TopicPartition, OffsetAndMetadata]:
        """What may be committed: after the last message read, or at the first one still waiting."""
        first: dict[TopicPartition, int] = {}
        for tp, offset in self.waiting:
            first[tp] = min(first.get(tp, offset), offset)
        return {tp: OffsetAndMetadata(min(offset, first.get(tp, offset)), "", -1)
                for tp, offset in self.consumed.items()}


def _key(message) -> tuple[TopicPartition, int]:
    return TopicPartition(message.topic, message.partition), message.offset
