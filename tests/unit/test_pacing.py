"""The polling pace: brief pauses while there is work, growing to the idle ceiling without it."""
import threading
import time

import pytest

from services.pacing import Pace
from tests.support import poll


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


def test_a_ring_ends_the_pause_of_every_loop_waiting_on_the_bell():
    from services.pacing import Bell

    bell, stop, woke = Bell(), threading.Event(), []
    waiters = [threading.Thread(target=lambda: woke.append(bell.wait(30))) for _ in range(3)]
    for waiter in waiters:
        waiter.start()
    poll(lambda: len(bell._condition._waiters) == 3, 5, "all three loops to wait on the bell", interval=0.01)
    bell.ring()
    for waiter in waiters:
        waiter.join(timeout=5)
    assert woke == [True, True, True]


def test_a_pace_waiting_on_a_bell_returns_when_it_rings():
    from services.pacing import Bell

    bell, stop, pace, done = Bell(), threading.Event(), Pace(busy=30, idle=60), threading.Event()

    def ring_until_done():  # rings again and again, so a ring before the wait began cannot matter
        while not done.wait(0.05):
            bell.ring()

    threading.Thread(target=ring_until_done, daemon=True).start()
    started = time.monotonic()
    pace.wait(stop, bell)
    done.set()
    assert time.monotonic() - started < 10  # the ring, not the 30 s pause, ended it
