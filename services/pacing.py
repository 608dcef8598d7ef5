"""How long a polling loop sleeps between looks: briefly while it finds work, longer and longer
once it finds none, up to an idle ceiling.

Every relay and job polls its collection. Polling each 50 to 200 ms kept the database server at
about a fifth of a core at rest (`tests/perf/bench_idle.py`), and under load those empty reads
queued in front of the ballots. Backing off after the work runs out takes most of that away; the
price is at most `idle` seconds before the first row after a quiet spell is seen.

A loop may also wait on a `Bell`: `services.db.atomically` rings `COMMITTED` after every commit in
its process, so a worker's relay and jobs see at once what its own consumers wrote; only a write
from another process (the API's) waits for the next look. (A change stream would wake a loop for
every writer, but on the local database server each open stream slows every write: ten idle
streams took transactional inserts from about 190/s to 25/s.)
"""
from __future__ import annotations

import threading


class Pace:
    """The pauses of one polling loop (one per thread)."""

    def __init__(self, busy: float, idle: float, growth: float = 1.5):
        if not 0 < busy <= idle or growth < 1:
            raise ValueError("need 0 < busy <= idle and growth >= 1")
        self.busy, self.idle, self.growth = busy, idle, growth
        self.current = busy
        self.rung = False  # did the last wait end with the bell (not the pause)?

    def worked(self) -> None:
        """The loop found work: look again soon."""
        self.current, self.rung = self.busy, False

    def wait(self, stop: threading.Event, bell: Bell | None = None) -> float:
        """Sleep the current pause, or until `stop` (or `bell`) comes first; the next pause is longer.
        Returns the pause it was to sleep."""
        pause, self.rung = self.current, False
        if bell is None:
            stop.wait(pause)
        elif not stop.is_set():
            self.rung = bell.wait(pause)
        self.current = min(self.idle, self.current * self.growth)
        return pause


class Bell:
    """Wakes every thread waiting on it (a condition, so no ring is lost between two waiters)."""

    def __init__(self):
        self._condition = threading.Condition()
        self.rings = 0  # how many times it has rung: a loop can tell whether anything was committed since

    def ring(self) -> None:
        with self._condition:
            self.rings += 1
            self._condition.notify_all()

    def wait(self, timeout: float) -> bool:
        """True when rung, False after `timeout`."""
        with self._condition:
            return self._condition.wait(timeout)


COMMITTED = Bell()  # rung by services.db.atomically after each commit of this process
