"""Values a process keeps until it commits a write of its own or a while passes.

For reads that are costly and change only when the process itself writes (a service's API is where
its documents are written): the set of proposals similar ones are ranked over, a list's total. A
value is computed again after any commit in this process (`services.pacing.COMMITTED`) or after
`seconds`, so another replica's writes are seen within that time."""
from __future__ import annotations

import threading
import time
from typing import Callable, Hashable, TypeVar

from services.pacing import COMMITTED

T = TypeVar("T")


class Remembered(dict):
    """Values that never go stale (or carry their own expiry), at most `most` of them: past that
    every one is forgotten and read again as needed, a bound on memory rather than an eviction."""

    def __init__(self, most: int):
        super().__init__()
        self.most = most

    def keep(self, key: Hashable, value: T) -> T:
        if len(self) >= self.most:
            self.clear()
        self[key] = value
        return value


class Kept:
    def __init__(self, seconds: float, most: int = 256):
        self.seconds, self.most = seconds, most
        self._values: dict[Hashable, tuple[int, float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        rings, now = COMMITTED.rings, time.monotonic()  # before the read: a commit during it counts
        kept = self._values.get(key)
        if kept and kept[0] == rings and now - kept[1] < self.seconds:
            return kept[2]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            if len(self._values) >= self.most:
                self._values.clear()
            self._values[key] = (rings, now, value)
        return value
