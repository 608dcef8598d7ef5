"""Kafka: topics, the idempotent consumer loop and dead letters."""
from __future__ import annotations

import hashlib
import logging
import socket
import threading
import time
from typing import Callable

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, MessageSizeTooLargeError, RecordListTooLargeError, TopicAlreadyExistsError

from services import batches, db, logs, metrics
from services.consumer_watch import UNASSIGNED_SECONDS, LogAssignments, Watch, leaders, measure_lag
from services.db import AlreadyProcessed
from services.deferral import Deferrals, NotYet
from services.events import UnreadableEvent, parse_event
from services.settings import SERVICES, get_settings

log = logging.getLogger(__name__)
Handler = Callable[[dict], None]
DLQ_PREFIX_BYTES = 64 * 1024  # what a dead letter keeps of a value too large to re-publish whole
TOO_LARGE = (MessageSizeTooLargeError, RecordListTooLargeError)
LAG_INTERVAL_SECONDS = 2.0  # how often the consumer loop refreshes its lag gauges


class Stopping(Exception):
    """The worker stops while an event waits for the database: leave it uncommitted."""


class Reject(Exception):
    """A consumer refuses an event for good (it is valid, but makes no sense here)."""


def all_topics() -> list[str]:
    settings = get_settings()
    names = [settings.topic(s) for s in (*SERVICES, "accounts") if s != "gateway"]
    return names + [f"{name}.dlq" for name in names]


def ensure_topics(names: list[str] | None = None, deadline: float = 30.0) -> None:
    """Create the platform's topics if they do not exist yet."""
    settings = get_settings()
    names = names or all_topics()
    end = time.monotonic() + deadline
    while True:
        try:
            admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="civic-admin")
            break
        except KafkaError as exc:
            if time.monotonic() > end:
                raise RuntimeError(f"Kafka at {settings.kafka_bootstrap} unreachable: {exc}") from exc
            time.sleep(0.5)
    try:
        existing = set(admin.list_topics())
        missing = [NewTopic(n, settings.topic_partitions, 1) for n in names if n not in existing]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
        # A topic is there when every partition has a leader: a consumer group formed before that
        # was assigned none of its partitions.
        while not _led(admin, names):
            if time.monotonic() > end:
                raise RuntimeError(f"the topics {', '.join(names)} have no leaders after {deadline:.0f}s")
            time.sleep(0.1)
    finally:
        admin.close()


def _led(admin: KafkaAdminClient, names: list[str]) -> bool:
    """Does every one of these topics exist, with a leader for each of its partitions?"""
    try:
        found = leaders(admin, names)
    except KafkaError:
        return False
    return {topic for topic, _ in found} == set(names) and all(leader >= 0 for leader in found.values())


def make_producer(**overrides) -> KafkaProducer:
    """A producer that keeps per-key order (one request in flight) and waits for all replicas."""
    settings = get_settings()
    options = dict(bootstrap_servers=settings.kafka_bootstrap, acks="all", retries=5,
                   max_in_flight_requests_per_connection=1, linger_ms=5,
                   max_request_size=max(1048576, settings.max_message_bytes + 64 * 1024))
    options.update(overrides)
    return KafkaProducer(**options)


def instance_id(service: str, setting: str) -> str | None:
    """The consumer's static group membership id (see Settings.consumer_instance_id), or None."""
    if setting.strip().lower() in ("", "off", "none"):
        return None
    if setting.strip().lower() == "auto":
        return f"{service}-worker@{socket.gethostname()}"
    return f"{setting.strip()}-{service}"


class EventConsumer:
    """Reads a service's subscribed topics and applies each event through its handler.

    Handlers are idempotent (they record the event_id with their effect), so the
    loop commits offsets after a batch and redelivery after a crash is harmless.
    Unreadable events, and events a handler rejects or keeps failing on, are parked
    on `<topic>.dlq` with the error, and the loop goes on. A database that is out of reach is no
    fault of the event's: the loop waits for it and applies the event then (nothing is parked). So are messages larger than
    CIVIC_MAX_MESSAGE_BYTES, whatever they hold: their dead letter keeps the key, the size,
    a SHA-256 digest and a bounded prefix of the value (see `dead_letter`).
    """

    unassigned_seconds = UNASSIGNED_SECONDS  # see services.consumer_watch

    def __init__(self, service: str, handlers: dict[str, Handler], topics: list[str],
                 batch_handlers: dict[str, Callable[[list[dict]], None]] | None = None):
        self.service = service
        self.handlers = handlers
        self.batch_handlers = batch_handlers or {}  # runs of these kinds in one call (services.batches)
        self.topics = topics
        self.settings = get_settings()
        self.producer = make_producer()
        self.stopping = threading.Event()
        self.deferrals = Deferrals(service, self.settings.consumer_wait_seconds)

    def run(self, stop: threading.Event) -> None:
        self.stopping = stop
        consumer = self.open()
        watch = Watch(f"{self.service}-worker", self.topics, self.unassigned_seconds)
        next_lag = 0.0
        try:
            while not stop.is_set():
                try:
                    batch = consumer.poll(timeout_ms=300)
                    for messages in batch.values():
                        self.handle_all(messages)
                        self.deferrals.read(messages[-1])
                    again = self.deferrals.due(consumer.assignment())
                    for message in again:  # events that waited for another (services.deferral)
                        self.handle(message)
                    if batch or again:  # up to the first event still waiting on each partition
                        consumer.commit(self.deferrals.offsets())
                except KafkaError as exc:  # the broker is away (stalled, restarting): wait and go on;
                    # what was applied stays applied (handlers are idempotent) and a later commit covers it
                    log.warning("%s consumer: broker unavailable (%s: %s); retrying", self.service,
                                type(exc).__name__, exc)
                    stop.wait(1.0)
                    continue
                metrics.CONSUMER_LAST_POLL.labels(self.service).set(time.time())
                if time.monotonic() >= next_lag:
                    measure_lag(self.service, consumer)
                    next_lag = time.monotonic() + LAG_INTERVAL_SECONDS
                    if watch.wedged(consumer.assignment(), self.listener.rebalancing_since):
                        consumer.close()
                        consumer = self.open()
        except Stopping:
            log.info("%s consumer stopped while waiting for the database; the event is read again", self.service)
        finally:
            consumer.close()
            self.producer.flush()

    def open(self, **overrides) -> KafkaConsumer:
        """A KafkaConsumer in the service's group, subscribed to its topics."""
        consumer = KafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            group_id=f"{self.service}-worker", client_id=f"{self.service}-worker",
            group_instance_id=instance_id(self.service, self.settings.consumer_instance_id),
            enable_auto_commit=False, auto_offset_reset="earliest",
            session_timeout_ms=6000, heartbeat_interval_ms=2000, max_poll_records=200,
            # the group's leader sees new partitions within seconds (kafka-python's default is five minutes)
            metadata_max_age_ms=5000, **overrides)
        # Its topics' partitions known before it joins: a leader that joined first assigned nothing
        # ("No partition metadata for topic ...") and at times did not join again (services.consumer_watch).
        consumer.partitions_for_topic(self.topics[0])  # fetches every topic's metadata
        self.listener = LogAssignments(self.service)
        consumer.subscribe(self.topics, listener=self.listener)
        log.info("%s consumer subscribed to %s", self.service, ", ".join(self.topics))
        return consumer

    def handle_all(self, messages: list) -> None:
        """Apply one partition's messages in order, runs of a batch kind together; set aside those
        that must wait for another event."""
        at = 0
        while at < len(messages):
            run = batches.run_at(self, messages, at)
            if run and batches.apply_run(self, run):
                at += len(run)
                continue
            for message in [m for m, _ in run] or [messages[at]]:  # a failed run: one by one
                self.handle(message)
            at += max(1, len(run))

    def handle(self, message) -> None:
        """Apply the message, park it, or keep it aside while it waits for another event (services.deferral)."""
        size, limit = len(message.value or b""), self.settings.max_message_bytes
        if size > limit:  # not even parsed: no event of ours is this large
            metrics.OVERSIZE_MESSAGES.labels(self.service, message.topic).inc()
            self.dead_letter(message, f"oversize: {size} bytes, more than the {limit} a message may have "
                                      f"(CIVIC_MAX_MESSAGE_BYTES)")
            return
        try:
            event = parse_event(message.value)
        except UnreadableEvent as exc:
            self.dead_letter(message, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - whatever a message does, it must not stop the loop
            self.dead_letter(message, f"unreadable: {type(exc).__name__}: {exc}")
            return
        handler = self.handlers.get(event["event_type"])
        if handler is None:
            return
        with logs.event_context(event):
            self.apply(message, event, handler)

    def apply(self, message, event: dict, handler: Handler) -> None:
        """Run the handler, with retries; park the message when it keeps failing or is rejected, or
        keep it aside while it waits for another event (and may still wait)."""
        error, attempt, outage = None, 0, 0
        while attempt < self.settings.consumer_max_retries:
            try:
                handler(event)
                self.count(event, "applied")
                log.info("%s applied %s from %s[%d]@%d", self.service, event["event_type"], message.topic,
                         message.partition, message.offset)
                self.deferrals.done(message)
                return
            except AlreadyProcessed:
                self.count(event, "duplicate")
                self.deferrals.done(message)
                return
            except Reject as exc:
                error = f"rejected: {exc}"
                break
            except NotYet as exc:
                refused = self.deferrals.keep(message, str(exc))
                if refused is None:
                    return
                error = f"{refused}: {exc}"
                break
            except Exception as exc:  # noqa: BLE001 - any failure is retried, then parked
                if db.unavailable(exc):  # not the event's fault: wait for the database, however long
                    outage += 1
                    log.warning("%s: the database is unavailable applying %s (%s); waiting", self.service,
                                event["event_id"], type(exc).__name__)
                    if self.stopping.wait(min(5.0, 0.2 * 2 ** min(outage, 5))):
                        raise Stopping from exc  # uncommitted: the event is read again at the next start
                    continue
                attempt += 1
                error = f"{type(exc).__name__}: {exc}"
                log.warning("%s failed on %s (attempt %d): %s", self.service,
                            event["event_id"], attempt, error)
                time.sleep(min(2.0, 0.2 * 2 ** attempt))
        self.count(event, "dead_letter")
        self.dead_letter(message, error)
        self.deferrals.done(message)

    def count(self, event: dict, result: str) -> None:
        metrics.EVENTS_CONSUMED.labels(self.service, event["event_type"], result).inc()

    def dead_letter(self, message, error: str) -> None:
        """Park `message` on `<topic>.dlq`: verbatim if it fits, else its key, size, digest and prefix.

        A value the broker would refuse (over our limit, or over a lower limit of the broker's)
        cannot be kept whole; its prefix and digest let an operator see and match it, and
        `civic dlq replay` skips it. Any other failure to park raises: the offset is then not
        committed, and the message is read again when the worker comes back."""
        topic = f"{message.topic}.dlq"
        value, key = message.value or b"", message.key
        log.error("%s parks %s[%d]@%d (%d bytes) on %s: %s", self.service, message.topic, message.partition,
                  message.offset, len(value), topic, error)
        headers = [("dlq.error", error[:2000].encode()), ("dlq.consumer", self.service.encode()),
                   ("dlq.source", f"{message.topic}:{message.partition}:{message.offset}".encode()),
                   ("dlq.size", str(len(value)).encode()),
                   ("dlq.sha256", hashlib.sha256(value).hexdigest().encode())]
        if len(value) + len(key or b"") + 4096 <= self.settings.max_message_bytes:  # 4 KiB for headers
            try:
                self.producer.send(topic, key=key, value=message.value, headers=headers).get(timeout=30)
                metrics.DEAD_LETTERS.labels(self.service, message.topic).inc()
                return
            except TOO_LARGE:  # the broker's own limit is lower than ours
                log.warning("%s: the broker refused %s's dead letter whole; parking its prefix", self.service, topic)
        self.producer.send(topic, key=key[:DLQ_PREFIX_BYTES] if key else key, value=value[:DLQ_PREFIX_BYTES],
                           headers=headers + [("dlq.truncated", b"1")]).get(timeout=30)
        metrics.DEAD_LETTERS.labels(self.service, message.topic).inc()
