"""The polling pace: brief pauses while there is work, growing to the idle ceiling without it."""
import threading
import time

import pytest

from services.pacing import Pace


class Clockless(threading.Event):
    """An event whose wait does not sleep, so the pauses can be read off."""

    def wait(self, timeout=None):
        return False


def test_pauses_grow_by_half_up_to_the_idle_ceiling_and_work_resets_them():
    pace, stop = Pace(busy=0.05, idle=0.5), Clockless()
    pauses = [pace.wait(stop) for _ in range(8)]
    assert pauses[:3] == pytest.approx([0.05, 0.075, 0.1125])
    assert pauses[-2:] == [0.5, 0.5] and all(a <= b for a, b in zip(pauses, pauses[1:]))
    pace.worked()
    assert pace.wait(stop) == 0.05


def test_a_set_stop_ends_the_pause_at_once():
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    assert Pace(busy=30, idle=60).wait(stop) == 30
    assert time.monotonic() - started < 5  # it did not sleep the 30 s


def test_nonsense_paces_are_refused():
    with pytest.raises(ValueError):
        Pace(busy=1.0, idle=0.5)
