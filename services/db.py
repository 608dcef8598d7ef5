"""MongoDB connection and the unit of work: a state change, its outbox events and
the consumer's processed-event marker are written in one transaction.

mongoengine defines documents, indexes and plain reads; it has no transaction
API, so writes that must be atomic go through a pymongo session on the same
collections (`Unit`).
"""
from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timezone
from typing import Callable, TypeVar

import mongoengine as me
import pymongo
from bson import Binary
from pymongo import monitoring
from pymongo.errors import BulkWriteError, ConnectionFailure, ExecutionTimeout, WTimeoutError

from services import claims, db_monitors as monitors
from services.pacing import COMMITTED
from services.settings import get_settings

T = TypeVar("T")


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def connect(service: str, part: str = "api") -> None:
    """Connect mongoengine's default alias to the service's own database (`part`: which process
    of the service this is, for the command count)."""
    settings = get_settings()
    me.disconnect()
    listeners = [monitors.SlowCommands(settings.slow_command_ms)] if settings.slow_command_ms > 0 else []
    listeners += [Reachability(), monitors.CommandCount(service, part)]
    me.connect(db=settings.database(service), host=settings.mongo_uri, tz_aware=True,
               uuidRepresentation="standard", serverSelectionTimeoutMS=settings.db_select_timeout_ms,
               connectTimeoutMS=settings.db_select_timeout_ms, socketTimeoutMS=settings.db_socket_timeout_ms,
               heartbeatFrequencyMS=2000, event_listeners=listeners)


# The database server is down, restarting or stalled (not: the request was wrong). An API answers
# these with 503 and Retry-After; a consumer waits and applies the event again, never parks it.
UNAVAILABLE = (ConnectionFailure, ExecutionTimeout, WTimeoutError)


_outage = {"seen": -1e9, "heartbeat_failed": False}
OUTAGE_MEMORY_SECONDS = 2.0


class Reachability(monitoring.ServerHeartbeatListener):
    """The driver's heartbeats (every 2 s, and at once after a network error): is the server there?"""

    def started(self, event) -> None:
        pass

    def succeeded(self, event) -> None:
        _outage["heartbeat_failed"] = False

    def failed(self, event) -> None:
        _outage["heartbeat_failed"] = True


class KnownDown(ConnectionFailure):
    """Refused without trying: the database was found out of reach a moment ago (`known_down`)."""


def note_outage(error: BaseException | None = None) -> None:
    """A request found the database out of reach: for a moment, the next ones fail at once. (Not
    renewed by those refusals themselves, or a steady stream of requests would never try again.)"""
    if not isinstance(error, KnownDown):
        _outage["seen"] = time.monotonic()


def known_down() -> bool:
    """Is the database known to be out of reach (its last heartbeat failed, or a request just found
    it so)? Requests then fail at once with 503 instead of each waiting out its own timeout: a page
    makes several calls, and a caller retries after Retry-After anyway."""
    return _outage["heartbeat_failed"] or time.monotonic() - _outage["seen"] < OUTAGE_MEMORY_SECONDS


def unavailable(error: BaseException) -> bool:
    """Is `error` (or what caused it) the database being out of reach?"""
    while error is not None:
        if isinstance(error, UNAVAILABLE):
            return True
        error = error.__cause__ or error.__context__
    return False


def ensure_indexes(*models: type[me.Document]) -> None:
    for model in (OutboxEvent, ProcessedEvent, *models):
        model.ensure_indexes()


def ping(timeout_ms: int = 1000) -> bool:
    """The database answers within `timeout_ms` (a readiness probe must answer faster than its own timeout)."""
    with pymongo.timeout(timeout_ms / 1000):
        me.get_connection().admin.command("ping")
    _outage.update(seen=-1e9, heartbeat_failed=False)  # it is back: requests need not wait for a heartbeat
    return True


class OutboxEvent(me.Document):
    """An event waiting to be published; written with the change that caused it."""

    id = me.StringField(primary_key=True)  # the event_id
    topic = me.StringField(required=True)
    key = me.StringField(required=True)
    event = me.DictField(required=True)
    ts = me.IntField(required=True)  # nanoseconds, the relay's publishing order
    sent_at = me.DateTimeField(null=True)
    meta = {"collection": "outbox", "indexes": [("sent_at", "ts")]}


class ProcessedEvent(me.Document):
    """Marks an event as handled by one consumer; the unique _id makes redelivery a no-op."""

    id = me.StringField(primary_key=True)  # "<consumer>:<event_id>"
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "processed_events"}


_owner: str | None = None
_known_sessions: set = set()


def adopt_sessions(owner: str) -> int:
    """Abort the transactions a crashed predecessor named `owner` left open, and record ours.

    A SIGKILLed process's open transaction keeps its writes locked until the server's
    transaction lifetime limit (60 s by default) reaps it; every writer of the same
    documents meets write conflicts until then. Killing its sessions ends that at once.
    Killing a live peer's session is harmless: its transaction fails as transient and is
    retried. Returns the number of sessions killed."""
    global _owner
    record = me.get_db()["owned_sessions"].find_one_and_delete({"_id": owner})
    lsids = (record or {}).get("lsids", [])
    if lsids:
        me.get_connection().admin.command({"killSessions": [{"id": _binary(lsid)} for lsid in lsids]})
    _owner = owner
    _known_sessions.clear()
    return len(lsids)


def _binary(lsid) -> Binary:
    """Session ids as BSON binaries whatever UUID representation decoded them."""
    return Binary.from_uuid(lsid) if isinstance(lsid, uuid.UUID) else Binary(bytes(lsid), 4)


def _remember(session) -> None:
    lsid = _binary(session.session_id["id"])
    if _owner and lsid not in _known_sessions:
        _known_sessions.add(lsid)
        me.get_db()["owned_sessions"].update_one({"_id": _owner}, {"$addToSet": {"lsids": lsid}}, upsert=True)


class AlreadyProcessed(Exception):
    """The consumer has already applied this event."""


class Unit:
    """Writes inside one transaction, plus the events to publish with them."""

    def __init__(self, session):
        self.session = session
        self.events: list[dict] = []

    @staticmethod
    def coll(model: type[me.Document]):
        return model._get_collection()

    def insert(self, doc: me.Document) -> me.Document:
        doc.validate()
        self.coll(type(doc)).insert_one(doc.to_mongo(), session=self.session)
        return doc

    def insert_all(self, docs: list[me.Document]) -> None:
        """Insert documents of one model in one command (in order; a duplicate id raises)."""
        for doc in docs:
            doc.validate()
        if docs:
            self.coll(type(docs[0])).insert_many([doc.to_mongo() for doc in docs], session=self.session)

    def save(self, doc: me.Document) -> me.Document:
        doc.validate()
        son = doc.to_mongo()
        self.coll(type(doc)).replace_one({"_id": son["_id"]}, son, upsert=True, session=self.session)
        return doc

    def get(self, model: type[me.Document], query: dict):
        son = self.coll(model).find_one(query, session=self.session)
        return None if son is None else model._from_son(son)

    def update(self, model: type[me.Document], query: dict, change: dict, upsert: bool = False):
        """Update one document and return it as it is after the change (None if no match): two commands
        (services.claims says why not findAndModify); `change` is one, for callers that need no document."""
        son = claims.update_returning(self.coll(model), query, change, upsert=upsert, session=self.session)
        return None if son is None else model._from_son(son)

    def change(self, model: type[me.Document], query: dict, change: dict, upsert: bool = False) -> bool:
        """Update one document; whether one matched (or was made). One command, where `update` also
        reads the document back."""
        done = self.coll(model).update_one(query, change, upsert=upsert, session=self.session)
        return bool(done.matched_count or done.upserted_id is not None)

    def emit(self, event: dict) -> None:
        self.events.append(event)


def atomically(work: Callable[[Unit], T], *, consumer: str | None = None,
               cause: dict | list[dict] | None = None) -> T:
    """Run `work` in a transaction with its outbox events (and processed marker: one per event when
    `cause` is a list, for a batch of events).

    Raises AlreadyProcessed when `consumer` has already handled `cause` (any of them).
    Transient conflicts are retried by pymongo's `with_transaction`.
    """
    settings = get_settings()
    client = me.get_connection()

    emitted = False  # whether the (last try of the) transaction put events in the outbox

    def run(session):
        nonlocal emitted
        unit = Unit(session)
        if consumer is not None:
            causes = cause if isinstance(cause, list) else [cause]
            markers = [ProcessedEvent(id=f"{consumer}:{c['event_id']}") for c in causes]
            try:
                unit.insert_all(markers)
            except BulkWriteError as exc:
                if any(e.get("code") == 11000 for e in exc.details.get("writeErrors", [])):
                    raise AlreadyProcessed(", ".join(c["event_id"] for c in causes)) from exc
                raise
        result = work(unit)
        emitted = bool(unit.events)
        unit.insert_all([OutboxEvent(id=event["event_id"], topic=settings.topic(event["event_type"].split(".", 1)[0]),
                                     key=event["aggregate_id"], event=event, ts=time.time_ns())
                         for event in unit.events])  # one command however many events
        return result

    with client.start_session() as session:
        _remember(session)
        result = session.with_transaction(run)
    # This process's relay and jobs look at once. A consumer's transaction that only updated a
    # projection wakes nobody: a burst of such events woke every job once per event (forwarding's
    # four dispatchers each claimed nothing after each comment, four times the consumer's commands).
    if consumer is None or emitted:
        COMMITTED.ring()
    return result
