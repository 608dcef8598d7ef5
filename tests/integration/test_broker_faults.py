"""The broker stalls or dies while residents act: nothing they were told was accepted is lost, nothing
is applied twice, the outboxes drain, and the time to converge is printed. On Apache Kafka only: a
restart of Tansu empties its log (CIVIC_LOCAL_BROKER=tansu skips these)."""
from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support import eligible_residents, outboxes_drained, poll, published_for_voting, register, staff_of

pytestmark = pytest.mark.slow
STALL_SECONDS = 30


@pytest.fixture
def kafka_only(platform):
    if platform.broker != "kafka":
        pytest.skip("broker faults need a broker that keeps its log (Apache Kafka)")


def _act_during(fault, residents, pid, mend=lambda: None) -> tuple[int, int]:
    """Each resident supports the proposal and comments on it, half before `fault` and half after it,
    then `mend`; (supports, comments) answered 2xx."""
    accepted = {"supports": 0, "comments": 0}
    lock = threading.Lock()

    def act(resident):
        supported = resident.put(f"/proposals/{pid}/support").status_code < 300
        commented = resident.post(f"/proposals/{pid}/comments",
                                  json={"body": "Tudi jaz sem za.", "alignment": "for"}).status_code < 300
        with lock:
            accepted["supports"] += supported
            accepted["comments"] += commented

    with ThreadPoolExecutor(4) as pool:
        half = len(residents) // 2
        list(pool.map(act, residents[:half]))
        fault()
        list(pool.map(act, residents[half:]))
    mend()
    return accepted["supports"], accepted["comments"]


def _converged(staff, pid, supports: int, comments: int) -> bool:
    projected = staff.get(f"/proposals/{pid}").json()
    source = staff.get(f"/proposals/{pid}/results").json()
    return (outboxes_drained() and source["supports"] == supports
            and projected["supports"] == supports and projected["comments"] == comments)


def _flow(platform, gateway, fault, what: str, mend=lambda: None) -> None:
    staff, author = staff_of(gateway), register(gateway)
    pid = published_for_voting(author, staff, theme="employment", competence="national",
                               title=f"Jezikovni tečaji ob delu ({what})")
    residents = eligible_residents(gateway, 16)
    dead_before = _dead_letters(platform)
    started = time.monotonic()
    supports, comments = _act_during(fault, residents, pid, mend)
    assert supports == comments == len(residents), "the APIs write to their own outbox: the broker is not in the way"
    poll(lambda: _converged(staff, pid, supports, comments), 120,
         f"the proposal's counts to equal voting's after the broker {what}")
    print(f"broker {what}: {supports} supports and {comments} comments, converged "
          f"{time.monotonic() - started:.1f} s after the first action")
    assert _dead_letters(platform) == dead_before, "no event went to a dead-letter topic"


def _dead_letters(platform) -> float:
    """Messages parked on dead-letter topics so far, by every service's workers."""
    total = 0.0
    for service in ("proposals", "voting", "notifications", "forwarding"):
        text = requests.get(f"{platform.url(service)}/metrics", timeout=10).text
        total += sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                     if line.startswith("civic_dead_letters_total"))
    return total


def test_a_broker_stalled_for_30_seconds_loses_and_doubles_nothing(platform, gateway, kafka_only):
    broker = platform.procs["kafka"]

    def stall():
        os.kill(broker.pid, signal.SIGSTOP)
        threading.Timer(STALL_SECONDS, os.kill, (broker.pid, signal.SIGCONT)).start()

    _flow(platform, gateway, stall, f"stalled {STALL_SECONDS} s (SIGSTOP)")


def test_a_broker_killed_and_restarted_on_its_log_loses_and_doubles_nothing(platform, gateway, kafka_only):
    # SIGKILL: no clean shutdown, the log is recovered at start. (Restarted from the test's own thread:
    # a child started from a short-lived thread would get its death signal when that thread ends.)
    _flow(platform, gateway, lambda: platform.kill("kafka"), "killed and restarted (SIGKILL)",
          mend=platform.restart_broker)
