"""The municipalities' calendar: which day it is in Slovenia, whatever the server's clock zone.

A process's phases start and end on calendar days in Ljubljana; a server on UTC that asked
`date.today()` put a proposal submitted between midnight and 01:00 (02:00 in summer) in the
previous day's phase, and judged a resident's age a day late."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MUNICIPAL_TIMEZONE = "Europe/Ljubljana"
MUNICIPAL_ZONE = ZoneInfo(MUNICIPAL_TIMEZONE)


def local_today(now: datetime | None = None) -> date:
    """Today in Ljubljana (at the instant `now`, an aware datetime, if given)."""
    return (now or datetime.now(MUNICIPAL_ZONE)).astimezone(MUNICIPAL_ZONE).date()
