"""The municipalities' calendar (services.calendar): the day in Ljubljana, not on the server's clock."""
from __future__ import annotations

from datetime import date, datetime, timezone

from services.calendar import local_today


def test_late_evening_utc_is_already_tomorrow_in_ljubljana():
    assert local_today(datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc)) == date(2026, 12, 7)  # CET, +1
    assert local_today(datetime(2026, 6, 30, 22, 15, tzinfo=timezone.utc)) == date(2026, 7, 1)  # CEST, +2


def test_daytime_is_the_same_day_everywhere():
    assert local_today(datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)) == date(2026, 12, 6)
