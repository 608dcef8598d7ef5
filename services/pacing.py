"""How long a polling loop sleeps between looks: briefly while it finds work, longer and longer
once it finds none, up to an idle ceiling.

Every relay and job polls its collection. Polling each 50 to 200 ms kept the database server at
about a fifth of a core at rest (`tests/perf/bench_idle.py`), and under load those empty reads
queued in front of the ballots. Backing off after the work runs out takes most of that away; the
price is at most `idle` seconds before the first row after a quiet spell is seen.

(A change stream would wake a loop at once, but on the local database server every open stream
makes each write slower: ten idle streams took transactional inserts from about 190/s to 25/s.)
"""
from __future__ import annotations

import threading


class Pace:
    def __init__(self, busy: float, idle: float, growth: float = 1.5):
        if not 0 < busy <= idle or growth < 1:
            raise ValueError("need 0 < busy <= idle and growth >= 1")
        self.busy, self.idle, self.growth = busy, idle, growth
        self.current = busy

    def worked(self) -> None:
        """The loop found work: look again soon."""
        self.current = self.busy

    def wait(self, stop: threading.Event) -> float:
        """Sleep the current pause (or until `stop`); the next one is longer. Returns the pause slept."""
        pause = self.current
        stop.wait(pause)
        self.current = min(self.idle, self.current * self.growth)
        return pause
