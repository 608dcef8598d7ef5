"""The forwarding service's notion of "now" for deadlines.

Real time, plus an offset that only a test deployment (CIVIC_TEST_CLOCK=1) may set. The offset
lives in the forwarding database, so the API and the worker agree on it."""
from __future__ import annotations

from datetime import datetime, timedelta

from forwarding.store import ClockOffset
from services.db import utcnow
from services.errors import NotFound
from services.settings import get_settings

_ID = "clock"


def offset_seconds() -> float:
    if not get_settings().test_clock:
        return 0.0
    doc = ClockOffset.objects(id=_ID).first()
    return doc.seconds if doc else 0.0


def now() -> datetime:
    """Deadline time: the real UTC time, advanced by the test offset if there is one."""
    return utcnow() + timedelta(seconds=offset_seconds())


def advance(seconds: float) -> float:
    """Move the test clock forward; refused (404, as if absent) outside test mode."""
    if not get_settings().test_clock:
        raise NotFound("There is no test clock in this deployment.")
    ClockOffset.objects(id=_ID).update_one(upsert=True, inc__seconds=float(seconds))
    return offset_seconds()
