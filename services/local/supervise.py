"""`civic run` keeps its parts running as compose's `restart: unless-stopped` keeps the containers
in production: a part that exits (the database server and the broker included) is started again on
its data, after a delay that doubles from 1 s to 30 s while it keeps failing and starts over once it
has stayed up for a minute. Every exit and restart is logged; nothing else is stopped."""
from __future__ import annotations

import logging
import time
from typing import Callable

log = logging.getLogger(__name__)


class Supervisor:
    """Watch a `Platform`'s parts; `tick` from the thread that started them (a child started from
    another thread would get its death signal when that thread ends)."""

    def __init__(self, platform, say: Callable[[str], None] = log.warning, first: float = 1.0,
                 longest: float = 30.0, stable: float = 60.0):
        self.platform, self.say = platform, say
        self.first, self.longest, self.stable = first, longest, stable
        now = time.monotonic()
        self.up_since = {name: now for name in platform.procs}
        self.delay: dict[str, float] = {}  # the next wait of a part that failed lately
        self.due: dict[str, float] = {}  # when a part that exited is started again
        self.restarts: dict[str, int] = {}

    def tick(self) -> list[str]:
        """Look at every part once: note the ones that exited, start again those whose wait is over."""
        now, started = time.monotonic(), []
        for name, proc in list(self.platform.procs.items()):
            if proc.alive():
                if now - self.up_since.get(name, now) >= self.stable:
                    self.delay.pop(name, None)  # it has held: the next failure waits the shortest time again
                continue
            if name not in self.due:
                wait = min(self.longest, self.delay.get(name, self.first))
                self.delay[name] = min(self.longest, wait * 2)
                self.due[name] = now + wait
                self.say(f"{name} exited (code {proc.popen.returncode}); starting it again in {wait:.0f} s "
                         f"(log {proc.log_path})")
            elif now >= self.due[name]:
                del self.due[name]
                try:
                    restarted = self.platform.restart(name)
                except OSError as exc:
                    self.say(f"{name} could not be started again: {exc}")
                    self.due[name] = now + self.delay[name]
                    continue
                self.up_since[name] = now
                self.restarts[name] = self.restarts.get(name, 0) + 1
                self.say(f"{name} started again (pid {restarted.pid}, restart {self.restarts[name]})")
                started.append(name)
        return started

    def run(self, interval: float = 0.5) -> None:
        """Supervise until interrupted (Ctrl-C, SIGTERM)."""
        while True:
            self.tick()
            time.sleep(interval)
