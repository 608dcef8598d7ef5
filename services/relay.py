"""The outbox relay: publishes committed outbox events to Kafka, in order, then marks them sent.

An event the broker cannot take (larger than CIVIC_MAX_MESSAGE_BYTES, or refused by the broker as
too large) would otherwise be retried for ever and hold back every event behind it. The relay
sets it aside instead: the row moves to the `outbox_parked` collection with the reason, the size
and the error, the relay logs an error and counts `civic_outbox_parked_total` (alert on any), and
the events after it are published. The decision: one aggregate loses an event its consumers would
never have received anyway, rather than the whole service going silent; an operator who raises the
limits can move the row back into `outbox` to publish it.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from kafka.errors import KafkaError
from pymongo.errors import DuplicateKeyError

from services import logs, metrics
from services.bus import TOO_LARGE, make_producer
from services.db import OutboxEvent, utcnow
from services.pacing import COMMITTED, Pace
from services.events import encode
from services.settings import get_settings

log = logging.getLogger(__name__)


class Relay:
    """At-least-once: a crash after publishing and before marking re-publishes (consumers dedupe)."""

    def __init__(self, service: str, batch: int = 500):
        self.service = service
        self.batch = batch
        self.settings = get_settings()
        self.producer = make_producer()

    def publish_pending(self) -> int:
        coll = OutboxEvent._get_collection()
        pending = list(coll.find({"sent_at": None}).sort("ts", 1).limit(self.batch))
        metrics.OUTBOX_PENDING.labels(self.service).set(len(pending))
        metrics.OUTBOX_OLDEST_AGE.labels(self.service).set(
            max(0.0, time.time() - pending[0]["ts"] / 1e9) if pending else 0)
        if not pending:
            return 0
        limit, futures = self.settings.max_message_bytes, []
        for doc in pending:
            key, value = doc["key"].encode(), encode(doc["event"])
            if len(key) + len(value) > limit:
                self.park(doc, "oversize", f"{len(key) + len(value)} bytes, more than the {limit} a message "
                                           f"may have (CIVIC_MAX_MESSAGE_BYTES)")
                continue
            futures.append((doc, self.producer.send(doc["topic"], key=key, value=value)))
        self.producer.flush()
        sent, failure = [], None
        for doc, future in futures:
            try:
                future.get(timeout=30)
                sent.append(doc["_id"])
                with logs.event_context(doc["event"]):
                    log.info("%s relay published %s to %s", self.service, doc["event"]["event_type"], doc["topic"])
            except TOO_LARGE as exc:  # the broker's limit is lower than ours
                self.park(doc, "refused", f"the broker refused it as too large: {exc}")
            except KafkaError as exc:
                failure = failure or exc
        if failure:  # nothing is marked: the batch is published again, in order
            raise failure
        coll.update_many({"_id": {"$in": sent}}, {"$set": {"sent_at": utcnow()}})
        metrics.EVENTS_PUBLISHED.labels(self.service).inc(len(sent))
        return len(pending)

    def park(self, doc: dict, reason: str, error: str) -> None:
        """Move an outbox row the broker cannot take to `outbox_parked`, so the events behind it go on."""
        coll = OutboxEvent._get_collection()
        size = len(encode(doc["event"]))
        try:
            coll.database["outbox_parked"].insert_one({**doc, "reason": reason, "error": error, "size": size,
                                                       "parked_at": utcnow()})
        except DuplicateKeyError:  # parked already, by a round that crashed before the delete
            pass
        coll.delete_one({"_id": doc["_id"]})
        log.error("%s relay parks event %s (%s, %d bytes) in outbox_parked: %s; the events after it go on",
                  self.service, doc["_id"], doc["event"].get("event_type"), size, error)
        metrics.OUTBOX_PARKED.labels(self.service, reason).inc()

    def prune(self, keep: timedelta = timedelta(days=7)) -> None:
        """Forget events published long ago (the broker holds the history)."""
        OutboxEvent._get_collection().delete_many({"sent_at": {"$lt": utcnow() - keep}})

    def run(self, stop: threading.Event) -> None:
        """Publish while there is something to publish; when there is not, look again at a slowing
        pace (`services.pacing`): every 50 ms at first, every half second after a quiet second, and at
        once when this process commits (its consumers' events)."""
        log.info("%s outbox relay started", self.service)
        pace = Pace(self.settings.relay_interval_seconds, max(self.settings.relay_interval_seconds, 0.5))
        next_prune = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() > next_prune:
                    self.prune()
                    next_prune = time.monotonic() + 3600
                published = self.publish_pending()
                if published:
                    pace.worked()
                if published < self.batch:
                    pace.wait(stop, COMMITTED)
            except Exception:  # noqa: BLE001 - keep relaying; the events stay in the outbox
                log.exception("%s relay failed; retrying", self.service)
                stop.wait(1.0)
        self.producer.flush()
