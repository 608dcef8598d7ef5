"""services.batching: requests waiting meanwhile are written as one group, each gets its own
result; the same key waits for the next group; a failed write hands every request None (each
then writes alone)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from services.batching import Batcher
from tests.support import poll


def _held_batcher(name: str, result=lambda item: item):
    """A batcher whose first group ("hold") waits for `release`, so that the next items queue up."""
    groups: list[list] = []
    started, release = threading.Event(), threading.Event()

    def write(items):
        groups.append(list(items))
        if items == ["hold"]:
            started.set()
            release.wait(10)
        return [result(item) for item in items]

    return Batcher(name, write), groups, started, release


def test_requests_that_wait_meanwhile_are_written_together_and_each_gets_its_own_result():
    batcher, groups, started, release = _held_batcher("test-group", lambda item: f"done {item}")
    with ThreadPoolExecutor(6) as pool:
        held = pool.submit(batcher.submit, "hold")
        assert started.wait(10)
        rest = [pool.submit(batcher.submit, n) for n in range(5)]
        poll(lambda: batcher._queue.qsize() == 5, 10, "five requests queued behind the first group")
        release.set()
        assert held.result(10) == "done hold"
        assert [f.result(10) for f in rest] == [f"done {n}" for n in range(5)]
    assert len(groups) == 2 and sorted(groups[1]) == list(range(5))


def test_the_same_key_twice_goes_into_the_next_group():
    batcher, groups, started, release = _held_batcher("test-keys")
    with ThreadPoolExecutor(4) as pool:
        held = pool.submit(batcher.submit, "hold")
        assert started.wait(10)
        first = pool.submit(batcher.submit, "a1", "voter a")
        poll(lambda: batcher._queue.qsize() == 1, 10, "a1 queued")
        others = [pool.submit(batcher.submit, "b1", "voter b"), pool.submit(batcher.submit, "a2", "voter a")]
        poll(lambda: batcher._queue.qsize() == 3, 10, "b1 and a2 queued")
        release.set()
        assert [f.result(10) for f in (held, first, *others)] == ["hold", "a1", "b1", "a2"]
    assert sorted(groups[1]) == ["a1", "b1"] and groups[2] == ["a2"]


def test_a_failed_write_gives_every_request_none():
    def write(items):
        raise RuntimeError("database away")

    assert Batcher("test-fail", write).submit("x") is None
