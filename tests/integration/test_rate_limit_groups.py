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


def test_a_limit_that_refuses_leaves_the_later_ones_uncounted(limits_db):
    per_address, per_account = _limit(1), _limit(5)
    pair = [(per_address, "address"), (per_account, "account")]
    take_all(pair)
    with pytest.raises(TooManyAttempts):
        take_all(pair)
    assert _count(per_address, "address") == 1
    assert _count(per_account, "account") == 1, "what the address limit stopped was counted against the account"


def test_a_later_limit_that_refuses_leaves_the_earlier_ones_counted(limits_db):
    per_address, per_account = _limit(5), _limit(1)
    pair = [(per_address, "address"), (per_account, "account")]
    take_all(pair)
    with pytest.raises(TooManyAttempts):
        take_all(pair)
    assert _count(per_address, "address") == 2 and _count(per_account, "account") == 1
