"""services.limits.take_all on the real database: counters of concurrent requests written in one
group are exact, and a limit that refuses leaves the limits after it uncounted (as one at a time)."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from services import db
from services.limits import Hits, Limit, TooManyAttempts, take_all


@pytest.fixture()
def limits_db(platform):
    db.connect("gateway")


def _limit(allowed: int) -> Limit:
    return Limit(f"test_{uuid.uuid4().hex[:8]}", lambda: allowed, lambda: timedelta(hours=1), "Too many.")


def _count(limit: Limit, key: str) -> int:
    son = Hits._get_collection().find_one({"_id": f"{limit.name}:{key}"})
    return son["count"] if son else 0


def test_concurrent_requests_admit_exactly_the_allowance(limits_db):
    limit = _limit(7)

    def one(_):
        try:
            take_all([(limit, "one-address")])
            return "admitted"
        except TooManyAttempts as refused:
            assert 1 <= refused.retry_after <= 3600
            return "refused"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(one, range(40)))
    assert outcomes.count("admitted") == 7 and outcomes.count("refused") == 33
    assert _count(limit, "one-address") == 7


@pytest.mark.parametrize("allowed, counted", [
    ((1, 5), (1, 1)),  # the address limit refuses: the account is not counted
    ((5, 1), (2, 1)),  # the account limit refuses: the address was counted before it, as one at a time
], ids=["first-refuses-later-uncounted", "later-refuses-earlier-counted"])
def test_a_refusing_limit_counts_as_one_at_a_time_would(limits_db, allowed, counted):
    per_address, per_account = _limit(allowed[0]), _limit(allowed[1])
    pair = [(per_address, "address"), (per_account, "account")]
    take_all(pair)
    with pytest.raises(TooManyAttempts):
        take_all(pair)
    assert (_count(per_address, "address"), _count(per_account, "account")) == counted
