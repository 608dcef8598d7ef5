"""The outbox relay: publishes committed outbox events to Kafka, in order, then marks them sent."""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from services import metrics
from services.bus import make_producer
from services.db import OutboxEvent, utcnow
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
        if not pending:
            return 0
        futures = [self.producer.send(doc["topic"], key=doc["key"].encode(), value=encode(doc["event"]))
                   for doc in pending]
        self.producer.flush()
        for future in futures:
            future.get(timeout=30)  # raises if any publish failed: nothing is marked then
        coll.update_many({"_id": {"$in": [doc["_id"] for doc in pending]}},
                         {"$set": {"sent_at": utcnow()}})
        metrics.EVENTS_PUBLISHED.labels(self.service).inc(len(pending))
        return len(pending)

    def prune(self, keep: timedelta = timedelta(days=7)) -> None:
        """Forget events published long ago (the broker holds the history)."""
        OutboxEvent._get_collection().delete_many({"sent_at": {"$lt": utcnow() - keep}})

    def run(self, stop: threading.Event) -> None:
        log.info("%s outbox relay started", self.service)
        next_prune = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() > next_prune:
                    self.prune()
                    next_prune = time.monotonic() + 3600
                if self.publish_pending() < self.batch:
                    stop.wait(self.settings.relay_interval_seconds)
            except Exception:  # noqa: BLE001 - keep relaying; the events stay in the outbox
                log.exception("%s relay failed; retrying", self.service)
                stop.wait(1.0)
        self.producer.flush()
