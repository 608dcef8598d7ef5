"""A service's worker process: the outbox relay, the event consumer and periodic jobs."""
from __future__ import annotations

import importlib
import logging
import os
import signal
import socket
import threading
from datetime import timedelta

from prometheus_client import start_http_server

from services import db
from services.settings import get_settings
from services.bus import EventConsumer, ensure_topics
from services.pacing import COMMITTED, Pace
from services.relay import Relay

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5.0  # how often a worker says it is alive (services.status reads it)
HEARTBEATS = "worker_heartbeats"


def heartbeat(service: str, names: list[str]) -> bool:
    """Record that this worker is alive (one row per process); forget rows a day old."""
    collection = db.OutboxEvent._get_collection().database[HEARTBEATS]
    now = db.utcnow()
    collection.replace_one({"_id": f"{socket.gethostname()}:{os.getpid()}"},
                           {"service": service, "at": now, "pid": os.getpid(), "host": socket.gethostname(),
                            "tasks": names}, upsert=True)
    collection.delete_many({"at": {"$lt": now - timedelta(days=1)}})
    return False


class Looked:
    """What sibling loops (threads running the same job) share: the last commit after which one of
    them began to look."""

    def __init__(self):
        self.looked_at = -1
        self.lock = threading.Lock()

    def first_since(self, rings: int) -> bool:
        """Is this loop the first of its siblings to look since commit number `rings`?"""
        with self.lock:
            first, self.looked_at = self.looked_at < rings, max(self.looked_at, rings)
            return first


def _loop(name: str, job, interval: float | Pace, stop: threading.Event, siblings: Looked | None = None) -> None:
    """Run `job` again at once while it finds work; else pause `interval`, or, at a Pace's pace, until
    this process commits a write (a consumer's new dossier wakes the dispatchers). Woken by a commit,
    a loop does not look when a sibling already began to look after that commit: four dispatchers
    woken by each commit had made five empty claims per dossier sent. (A sibling that finds work
    commits, which wakes the others again; a pause that runs out always looks.)"""
    paced = isinstance(interval, Pace)
    pace = interval if paced else Pace(interval, interval)
    while not stop.is_set():
        rings = COMMITTED.rings
        if siblings is not None and not siblings.first_since(rings) and pace.rung:
            pace.wait(stop, COMMITTED)
            continue
        try:
            busy = job()
        except Exception as exc:  # noqa: BLE001 - a failed round is logged and retried next round
            if db.unavailable(exc):
                log.warning("job %s: the database is unavailable (%s); retrying", name, type(exc).__name__)
            else:
                log.exception("job %s failed", name)
            busy = False
        if busy:
            pace.worked()
        else:
            pace.wait(stop, COMMITTED if paced else None)  # a fixed interval is a clock, not a queue


def run_worker(service: str, stop: threading.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or `stop`): relay, consumer and the service's jobs."""
    wiring = importlib.import_module(f"{service}.consumer")
    store = importlib.import_module(f"{service}.store")
    db.connect(service, "worker")
    db.ensure_indexes(*store.MODELS)
    killed = db.adopt_sessions(f"{service}-worker")
    if killed:
        log.info("%s worker aborted %d session(s) left open by its predecessor", service, killed)
    ensure_topics()
    stop = stop or threading.Event()
    if get_settings().worker_metrics_port:  # containers: the worker has its own /metrics
        start_http_server(get_settings().worker_metrics_port)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    tasks = {"relay": Relay(service).run}
    if wiring.HANDLERS:
        tasks["consumer"] = EventConsumer(service, wiring.HANDLERS, wiring.TOPICS,
                                          getattr(wiring, "BATCH_HANDLERS", None)).run
    jobs = getattr(wiring, "JOBS", {})
    shared = {id(job): Looked() for job, _ in jobs.values()
              if sum(other is job for other, _ in jobs.values()) > 1}  # several threads of one job
    for name, (job, interval) in jobs.items():
        # a Pace is per thread: each job gets its own copy of the one declared
        pace = Pace(interval.busy, interval.idle, interval.growth) if isinstance(interval, Pace) else interval
        tasks[name] = lambda stop, job=job, name=name, pace=pace: _loop(name, job, pace, stop, shared.get(id(job)))
    names = list(tasks)
    tasks["heartbeat"] = lambda stop: _loop("heartbeat", lambda: heartbeat(service, names), HEARTBEAT_SECONDS, stop)
    threads = [threading.Thread(target=task, args=(stop,), name=f"{service}-{name}", daemon=True)
               for name, task in tasks.items()]
    for thread in threads:
        thread.start()
    log.info("%s worker running: %s", service, ", ".join(tasks))
    while not stop.is_set():
        stop.wait(0.5)
        dead = [t.name for t in threads if not t.is_alive()]
        if dead:
            log.error("%s worker threads died: %s; stopping", service, dead)
            stop.set()
            raise SystemExit(1)
    COMMITTED.ring()  # the loops waiting on it see the stop now
    for thread in threads:
        thread.join(timeout=10)
    log.info("%s worker stopped", service)
