"""Group commit for any write many requests make at once: the requests that arrive while one group
is being written are written next, together, by one writer thread per process. So a rush costs the
database one command per group instead of one per request, and the rush waits in memory for a few
milliseconds instead of in the database's queue.

`write(items)` gets the items of one group and returns one result per item, in order; a request
gets its item's result only after the group's write has returned. An item whose `key` is already
in the group waits for the next one (so that, say, a voter's second ballot replaces the first).
If `write` raises, every item of the group gets None: each request then does its write alone,
which says precisely what went wrong."""
from __future__ import annotations

import logging
import os
import queue
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable

log = logging.getLogger(__name__)


@dataclass
class _Waiting:
    item: Any
    key: Hashable | None
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None


class Batcher:
    def __init__(self, name: str, write: Callable[[list], list], *, max_items: int = 64,
                 wait_seconds: float = 30.0):
        self.name, self.write = name, write
        self.max_items, self.wait_seconds = max_items, wait_seconds
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()

    def submit(self, item: Any, key: Hashable | None = None, wait_seconds: float | None = None) -> Any:
        """The item's result once its group is written; None if the write failed, or took longer
        than `wait_seconds` (the batcher's, unless given; then the caller writes alone, and must be
        idempotent with the group)."""
        waiting = _Waiting(item, key)
        self._writer().put(waiting)
        waiting.done.wait(self.wait_seconds if wait_seconds is None else wait_seconds)
        return waiting.result

    def _writer(self) -> queue.SimpleQueue:
        if self._pid != os.getpid():  # first use, or a forked worker: the parent's thread is not here
            with self._lock:
                if self._pid != os.getpid():
                    self._queue = queue.SimpleQueue()
                    threading.Thread(target=self._run, args=(self._queue,), name=self.name, daemon=True).start()
                    self._pid = os.getpid()
        return self._queue

    def _run(self, waiting: queue.SimpleQueue) -> None:
        while True:
            taken = [waiting.get()]
            while len(taken) < self.max_items and not waiting.empty():
                taken.append(waiting.get())
            group, keys = [], set()
            for one in taken:
                if one.key is not None and one.key in keys:
                    waiting.put(one)  # the same key again: in the next group, after this one
                else:
                    keys.add(one.key)
                    group.append(one)
            try:
                results = self.write([one.item for one in group])
            except Exception:  # the database away...: each request alone says what went wrong
                log.warning("%s: a group of %d did not commit; each is written alone", self.name, len(group),
                            exc_info=True)
                results = [None] * len(group)
            for one, result in zip(group, results):
                one.result = result
                one.done.set()
