"""The operations view: one service's status document (GET /api/status on every service) and the
whole platform's (`civic status`, the gateway's GET /api/v1/operations/status and /operator/status).

A service's document says whether its database and the broker answer, whether its worker is
alive (the heartbeat it writes every few seconds), its outbox backlog and the age of the oldest
unsent event, its consumer group's lag per topic and partition, the dead letters on the
dead-letter topics of what it reads, and, for forwarding, failing dispatches, open breakers and
overdue replies.

Lag is measured here, from the broker, when the document is asked for: the group's committed
offsets (OffsetFetch) against each partition's high-water mark (from a fetch: Tansu's
end_offsets() is wrong). Not from what the worker last reported, because a stalled or stopped
worker reports nothing, and a stall is what this view exists to show.
"""
from __future__ import annotations

import importlib
import logging
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from marshmallow import Schema, fields

from services import db
from services.settings import SERVICES, get_settings

log = logging.getLogger(__name__)
WORKER_STALE_SECONDS = 30.0  # a worker not heard of for this long is down (it beats every 5 s)
KAFKA_TIMEOUT_MS = 5000
EXTRAS = {"forwarding": ("forwarding.delivery:delivery_figures", "forwarding.deadlines:overdue_replies")}


def _figures(service: str) -> dict:
    """What a service adds to its document (forwarding: dispatches, breakers, overdue replies)."""
    found: dict = {}
    for target in EXTRAS.get(service, ()):
        module, _, name = target.partition(":")
        value = getattr(importlib.import_module(module), name)()
        found.update(value if isinstance(value, dict) else {name: value})
    return found


def _outbox() -> dict:
    database = db.OutboxEvent._get_collection().database
    oldest = database["outbox"].find_one({"sent_at": None}, {"ts": 1}, sort=[("ts", 1)])
    return {"pending": database["outbox"].count_documents({"sent_at": None}),
            "oldest_age_seconds": round(max(0.0, time.time() - oldest["ts"] / 1e9), 1) if oldest else 0.0,
            "parked": database["outbox_parked"].estimated_document_count()}


def _workers() -> list[dict]:
    from services.worker import HEARTBEATS

    now = db.utcnow()
    rows = db.OutboxEvent._get_collection().database[HEARTBEATS].find({}).sort("at", -1)
    return [{"host": row.get("host"), "pid": row.get("pid"),
             "seen_seconds_ago": round((now - row["at"]).total_seconds(), 1)} for row in rows]


def highwaters(consumer: KafkaConsumer, starts: dict[TopicPartition, int], deadline: float = 5.0) -> dict:
    """Each partition's high-water mark, as the first fetch from `starts` reports it."""
    consumer.assign(list(starts))
    for tp, offset in starts.items():
        consumer.seek(tp, offset)
    end = time.monotonic() + deadline
    while any(consumer.highwater(tp) is None for tp in starts) and time.monotonic() < end:
        consumer.poll(timeout_ms=200, max_records=1)
    return {tp: consumer.highwater(tp) for tp in starts}


def broker_figures(group: str, topics: list[str]) -> tuple[dict, dict]:
    """(lag per topic: {"lag", "partitions"}, dead letters per `<topic>.dlq`) of a consumer group."""
    bootstrap = get_settings().kafka_bootstrap
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="civic-status",
                             request_timeout_ms=KAFKA_TIMEOUT_MS)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="civic-status", group_id=None,
                             enable_auto_commit=False, fetch_max_wait_ms=100, max_partition_fetch_bytes=4096,
                             request_timeout_ms=KAFKA_TIMEOUT_MS + 1000)
    try:
        committed = admin.list_group_offsets(group).get(group, {})
        starts: dict[TopicPartition, int] = {}
        for topic in topics + [f"{t}.dlq" for t in topics]:
            for partition in sorted(consumer.partitions_for_topic(topic) or ()):
                tp = TopicPartition(topic, partition)
                mark = committed.get(tp)
                starts[tp] = mark.offset if mark is not None and mark.offset >= 0 and topic in topics else 0
        marks = highwaters(consumer, starts)
    finally:
        consumer.close()
        admin.close()
    lag: dict = {}
    dead: dict = {}
    for tp, start in sorted(starts.items()):
        mark = marks[tp]
        if tp.topic in topics:
            entry = lag.setdefault(tp.topic, {"lag": 0, "partitions": {}})
            behind = None if mark is None else max(0, mark - start)
            entry["partitions"][str(tp.partition)] = behind
            entry["lag"] = None if behind is None or entry["lag"] is None else entry["lag"] + behind
        else:  # a dead-letter topic, read from its start: its high-water mark counts its letters
            known = dead.get(tp.topic, 0)
            dead[tp.topic] = None if mark is None or known is None else known + mark
    return lag, dead


def _check(what: str, check: Callable[[], object], service: str):
    try:
        return check(), None
    except Exception as exc:  # noqa: BLE001 - a status document reports failures, it does not raise
        log.warning("%s status: %s failed: %s", service, what, exc)
        return None, f"{what}: {type(exc).__name__}: {exc}"


def broker_reachable(timeout: float = 1.0) -> bool:
    host, _, port = get_settings().kafka_bootstrap.split(",")[0].rpartition(":")
    with socket.create_connection((host, int(port)), timeout=timeout):
        return True


def report(service: str) -> dict:
    """This service's status document (see the module's docstring)."""
    wiring = importlib.import_module(f"{service}.consumer")
    topics = list(wiring.TOPICS) if getattr(wiring, "HANDLERS", None) else []
    errors = []
    database, error = _check("database", db.ping, service)
    errors += [error] if error else []
    broker, error = _check("broker", broker_reachable, service)
    errors += [error] if error else []
    doc = {"service": service, "checks": {"api": True, "database": bool(database), "broker": bool(broker)},
           "workers": [], "outbox": None, "consumer": None, "dead_letters": {}, "figures": {}}
    if database:
        doc["outbox"], error = _check("outbox", _outbox, service)
        workers, error2 = _check("workers", _workers, service)
        doc["workers"] = workers or []
        figures, error3 = _check("figures", lambda: _figures(service), service)
        doc["figures"] = figures or {}
        errors += [e for e in (error, error2, error3) if e]
    doc["checks"]["worker"] = any(w["seen_seconds_ago"] <= WORKER_STALE_SECONDS for w in doc["workers"])
    if broker and topics:
        group = f"{service}-worker"
        figures, error = _check("consumer lag", lambda: broker_figures(group, topics), service)
        if figures:
            doc["consumer"] = {"group": group, "lag": sum(t["lag"] or 0 for t in figures[0].values()),
                               "topics": figures[0]}
            doc["dead_letters"] = figures[1]
        errors += [error] if error else []
    doc["ok"] = all(doc["checks"].values())
    doc["errors"] = errors
    return doc


def over_http(call: Callable, caller, local: str | None = None) -> Callable[[str], dict]:
    """fetch(service) for `gather`: GET /api/status through the gateway's inner client `call`, as
    `caller` (an operator); the `local` service (the gateway asking) answers in-process."""
    def fetch(service: str) -> dict:
        if service == local:
            return report(service)
        answer = call(service, "GET", "/api/status", caller, timeout=30)
        if answer.status_code != 200:
            raise RuntimeError(f"GET /api/status answered {answer.status_code}: {answer.text[:200]}")
        return answer.json()
    return fetch


def gather(fetch: Callable[[str], dict]) -> dict:
    """Every service's document, fetched in parallel; a service that cannot answer is down."""
    def one(service: str) -> dict:
        try:
            return fetch(service)
        except Exception as exc:  # noqa: BLE001 - ServiceDown or worse: the part is down
            return {"service": service, "ok": False, "checks": {"api": False}, "errors": [str(exc)]}

    with ThreadPoolExecutor(len(SERVICES)) as pool:
        parts = list(pool.map(one, SERVICES))
    dead_letters: dict = {}
    for part in parts:
        dead_letters.update(part.get("dead_letters") or {})
    return {"ok": all(part.get("ok") for part in parts), "parts": parts,
            "dead_letters": dict(sorted(dead_letters.items())), "measured_at": db.utcnow().isoformat()}


def _state(value) -> str:
    return "up" if value else "-" if value is None else "DOWN"


def render_text(status: dict) -> str:
    """The platform's status as the table `civic status` prints."""
    lines = [f"{'part':<14} {'api':<5} {'db':<5} {'broker':<7} {'worker':<7} {'outbox':>7} {'oldest':>8} "
             f"{'lag':>6}"]
    for part in status["parts"]:
        checks, outbox = part.get("checks") or {}, part.get("outbox") or {}
        consumer = part.get("consumer") or {}
        lines.append(f"{part['service']:<14} {_state(checks.get('api')):<5} {_state(checks.get('database')):<5} "
                     f"{_state(checks.get('broker')):<7} {_state(checks.get('worker')):<7} "
                     f"{outbox.get('pending', '-'):>7} {str(outbox.get('oldest_age_seconds', '-')) + 's':>8} "
                     f"{consumer.get('lag', '-'):>6}")
    lines += ["", "Consumer lag per topic (partition: lag):"]
    for part in status["parts"]:
        for topic, entry in ((part.get("consumer") or {}).get("topics") or {}).items():
            detail = " ".join(f"{p}:{lag}" for p, lag in entry["partitions"].items())
            lines.append(f"  {part['consumer']['group']:<22} {topic:<24} {entry['lag']!s:>6}  ({detail})")
    lines += ["", "Dead letters per topic:"]
    lines += [f"  {topic:<30} {count}" for topic, count in status["dead_letters"].items()] or ["  none"]
    for part in status["parts"]:
        figures = part.get("figures") or {}
        if figures:
            lines += ["", f"{part['service']}: " + ", ".join(
                f"{name.replace('_', ' ')} {', '.join(value) or 'none' if isinstance(value, list) else value}"
                for name, value in figures.items())]
        parked = (part.get("outbox") or {}).get("parked")
        if parked:
            lines.append(f"{part['service']}: {parked} outbox event(s) parked (civic outbox parked {part['service']})")
        for error in part.get("errors") or []:
            lines.append(f"{part['service']}: {error}")
    lines += ["", "All parts are up." if status["ok"] else "Some parts are DOWN."]
    return "\n".join(lines)


class PartOut(Schema):
    """One service's status document."""

    service = fields.Str(required=True)
    ok = fields.Bool(required=True)
    checks = fields.Dict(keys=fields.Str(), values=fields.Bool(),
                         metadata={"description": "api, database, broker, worker: reachable or alive"})
    workers = fields.List(fields.Dict(), metadata={"description": "Heartbeats: host, pid, seen_seconds_ago"})
    outbox = fields.Dict(allow_none=True, metadata={"description": "pending, oldest_age_seconds, parked"})
    consumer = fields.Dict(allow_none=True, metadata={"description": "group, lag, lag per topic and partition"})
    dead_letters = fields.Dict(keys=fields.Str(), values=fields.Int(allow_none=True))
    figures = fields.Dict(metadata={"description": "forwarding: dispatches failing and abandoned, breakers "
                                                   "open, overdue replies"})
    errors = fields.List(fields.Str())


class PlatformStatusOut(Schema):
    """The whole platform's status: every part, and the dead letters per dead-letter topic."""

    ok = fields.Bool(required=True)
    parts = fields.List(fields.Nested(PartOut), required=True)
    dead_letters = fields.Dict(keys=fields.Str(), values=fields.Int(allow_none=True))
    measured_at = fields.Str()
