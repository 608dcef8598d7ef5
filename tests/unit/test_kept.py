"""A kept value is reused until this process commits a write or its time runs out (services.kept)."""
from __future__ import annotations

from services import kept as kept_module
from services.kept import Kept
from services.pacing import COMMITTED


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)
    return calls, compute


def test_a_value_is_reused_until_this_process_commits():
    values, (calls, compute) = Kept(60.0), counter()
    assert values.get("total", compute) == 1
    assert values.get("total", compute) == 1 and len(calls) == 1
    COMMITTED.ring()
    assert values.get("total", compute) == 2


def test_a_value_is_computed_again_once_its_time_has_passed(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(kept_module.time, "monotonic", lambda: now[0])
    values, (calls, compute) = Kept(30.0), counter()
    assert values.get("k", compute) == 1
    now[0] += 29.0
    assert values.get("k", compute) == 1
    now[0] += 2.0
    assert values.get("k", compute) == 2


def test_keys_are_kept_apart_and_their_number_is_bounded():
    values = Kept(60.0, most=2)
    assert [values.get(key, lambda key=key: key * 2) for key in (1, 2, 1)] == [2, 4, 2]
    values.get(3, lambda: 6)  # a third key: the kept ones are dropped
    assert len(values._values) == 1
