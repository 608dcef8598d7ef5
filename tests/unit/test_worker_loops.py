"""The job loops of a worker (services.worker._loop): a loop at a fixed interval is a clock, not
woken by commits; sibling loops (threads of one job) woken by a commit look once between them."""
from __future__ import annotations

import threading

import pytest

from services.pacing import COMMITTED, Pace
from services.worker import Looked, _loop


@pytest.fixture
def waits(monkeypatch):
    """Each pause ends at once "by the bell"; the loop stops after its third pause."""
    seen: list = []
    stop = threading.Event()

    def wait(self, _stop, bell=None):
        seen.append(bell)
        self.rung = bell is not None
        if len(seen) >= 3:
            stop.set()
        return self.current

    monkeypatch.setattr(Pace, "wait", wait)
    return seen, stop


def test_a_job_at_a_fixed_interval_waits_its_interval_not_for_commits(waits):
    seen, stop = waits
    _loop("heartbeat", lambda: False, 5.0, stop)
    assert seen == [None, None, None]


def test_a_paced_job_waits_for_the_next_commit(waits):
    seen, stop = waits
    _loop("mailer", lambda: False, Pace(0.2, 1.0), stop)
    assert seen == [COMMITTED, COMMITTED, COMMITTED]


def test_woken_by_a_commit_a_loop_does_not_look_when_a_sibling_began_to_look_since(waits):
    _, stop = waits
    siblings, calls = Looked(), []
    COMMITTED.ring()
    assert siblings.first_since(COMMITTED.rings)  # dispatcher-1 looks after the commit
    pace = Pace(0.2, 1.0)
    pace.rung = True  # dispatcher-2 was woken by the same commit
    _loop("dispatcher-2", lambda: calls.append(1) or False, pace, stop, siblings)
    assert calls == []


def test_a_new_commit_makes_the_woken_sibling_look(waits):
    _, stop = waits
    siblings, calls = Looked(), []
    siblings.first_since(COMMITTED.rings)
    COMMITTED.ring()  # committed after dispatcher-1 began its look
    pace = Pace(0.2, 1.0)
    pace.rung = True
    _loop("dispatcher-2", lambda: calls.append(1) or False, pace, stop, siblings)
    assert calls == [1]  # once: the later wakes bring no new commit


def test_a_pause_that_runs_out_always_looks(monkeypatch):
    stop, calls = threading.Event(), []
    siblings = Looked()
    siblings.first_since(COMMITTED.rings)

    def wait(self, _stop, bell=None):  # the pause runs out: not rung
        self.rung = False
        if len(calls) >= 2:
            stop.set()
        return self.current

    monkeypatch.setattr(Pace, "wait", wait)
    _loop("dispatcher-3", lambda: calls.append(1) or False, Pace(0.2, 1.0), stop, siblings)
    assert calls == [1, 1]
