"""Rate limits every worker of a service shares: a counter per (limit, key) in the service's own
MongoDB, over a fixed window that starts with the first hit and is over `window` later.

`Backoff` makes failures wait a delay that doubles (sign-ins).

`take` admits one more within the limit or refuses (429 with Retry-After): for requests that are
limited as such (registrations, reports). `check` and `count` are apart for failures (sign-ins,
verifications): refuse while the limit is reached, count only what failed. A limit of 0 or less
is no limit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import mongoengine as me
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.batching import Batcher
from services.claims import update_returning
from services.db import utcnow
from services.errors import DomainError

DUPLICATE_KEY = 11000


class TooManyAttempts(DomainError):
    """Refused by a rate limit: 429, with the seconds until it lifts (Retry-After)."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: float, *, errors: dict | None = None):
        super().__init__(message, errors=errors)
        self.retry_after = retry_after


class Hits(me.Document):
    """How often one key was counted against one limit in the current window."""

    id = me.StringField(primary_key=True)  # "<limit>:<key>"
    count = me.IntField(default=0)
    window_start = me.DateTimeField(default=utcnow)
    meta = {"collection": "rate_limits"}


@dataclass(frozen=True)
class Limit:
    name: str
    allowed: Callable[[], int]  # read when used, so settings apply without a restart of the module
    window: Callable[[], timedelta]
    message: str

    def _id(self, key: str) -> str:
        return f"{self.name}:{key}"

    def _open_window(self, key: str) -> None:
        """Make sure the counter exists, and start a new window if the last one is over."""
        now, coll = utcnow(), Hits._get_collection()
        try:  # outside any transaction: an upsert race there would abort it
            coll.update_one({"_id": self._id(key)}, {"$setOnInsert": {"count": 0, "window_start": now}},
                            upsert=True)
        except DuplicateKeyError:
            pass  # created meanwhile by another request
        coll.update_one({"_id": self._id(key), "window_start": {"$lte": now - self.window()}},
                        {"$set": {"count": 0, "window_start": now}})

    def refusal(self, key: str) -> TooManyAttempts | None:
        """The error to raise if `key` has reached the limit in the current window, else None."""
        allowed = self.allowed()
        son = Hits._get_collection().find_one({"_id": self._id(key)})
        if allowed <= 0 or son is None or son["count"] < allowed:
            return None
        start = son["window_start"]
        now = utcnow()
        if start.tzinfo is None:
            start = start.replace(tzinfo=now.tzinfo)
        wait = (start + self.window() - now).total_seconds()
        return TooManyAttempts(self.message, max(1, math.ceil(wait))) if wait > 0 else None

    def check(self, key: str) -> None:
        """Refuse (429) while `key` has reached the limit."""
        error = self.refusal(key)
        if error:
            raise error

    def count(self, key: str, session=None) -> int:
        """Count one against `key` (in `session`'s transaction, if given); the count in this window."""
        if self.allowed() <= 0:
            return 0
        self._open_window(key)
        son = update_returning(Hits._get_collection(), {"_id": self._id(key)}, {"$inc": {"count": 1}},
                               session=session)
        return son["count"]

    def take(self, key: str) -> None:
        """Admit one more for `key` within the limit, or refuse (429); atomic across workers."""
        take_all([(self, key)])

    def _fast(self, key: str, now) -> UpdateOne:
        """Count one within a window in progress with room left; anything else (window over, limit
        reached) makes the upsert collide with the existing counter: that statement alone fails."""
        return UpdateOne({"_id": self._id(key), "count": {"$lt": self.allowed()},
                          "window_start": {"$gt": now - self.window()}},
                         {"$inc": {"count": 1}, "$setOnInsert": {"window_start": now}}, upsert=True)

    def _take_slowly(self, key: str) -> None:
        self._open_window(key)
        admitted = Hits._get_collection().update_one(
            {"_id": self._id(key), "count": {"$lt": self.allowed()}}, {"$inc": {"count": 1}})
        if not admitted.matched_count:
            raise self.refusal(key) or TooManyAttempts(self.message, 1)

    def clear(self, key: str) -> None:
        Hits._get_collection().delete_one({"_id": self._id(key)})


def take_all(limits: list[tuple[Limit, str]]) -> None:
    """Admit one more for every (limit, key), in this order, or refuse (429) at the first limit
    reached; what that limit stops is not counted against the limits after it. Nearly always no
    round trip of its own: a counter in its window with room left, or a new one, is counted in one
    unordered write with the counters of every request waiting meanwhile (`FAST`); the statements
    that fail (window over, limit reached) take the long way, each in its own request."""
    limits = [(limit, key) for limit, key in limits if limit.allowed() > 0]
    if not limits:
        return
    now = utcnow()
    statements = [limit._fast(key, now) for limit, key in limits]
    failed = FAST.submit(statements)
    if failed is None:  # the group's write failed (an error other than a collision; the database
        failed = _failed(statements)  # away, mostly, so nothing was counted): alone, for the precise error
    for n in sorted(failed):
        limit, key = limits[n]
        try:
            limit._take_slowly(key)
        except TooManyAttempts:
            counted_after = [limits[m] for m in range(n + 1, len(limits)) if m not in failed]
            for later, later_key in counted_after:  # counted by the fast write, but stopped here
                Hits._get_collection().update_one({"_id": later._id(later_key)}, {"$inc": {"count": -1}})
            raise


def _failed(statements: list[UpdateOne]) -> set[int]:
    """Write the statements unordered; the indexes of those that collided (the long way for them)."""
    try:
        Hits._get_collection().bulk_write(statements, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(error.get("code") != DUPLICATE_KEY for error in errors):
            raise
        return {error["index"] for error in errors}
    return set()


def _fast_group(requests: list[list[UpdateOne]]) -> list[set[int]]:
    """One write for the statements of every request of the group; each request's collisions."""
    failed = _failed([statement for statements in requests for statement in statements])
    mine, start = [], 0
    for statements in requests:
        mine.append({n - start for n in failed if start <= n < start + len(statements)})
        start += len(statements)
    return mine


FAST = Batcher("rate-limit-group", _fast_group)


class Delays(me.Document):
    """Failures of one key, and until when it must wait (`Backoff`)."""

    id = me.StringField(primary_key=True)  # "<backoff>:<key>"
    count = me.IntField(default=0)
    window_start = me.DateTimeField()
    until = me.DateTimeField(null=True)
    meta = {"collection": "rate_delays"}


def _aware(moment, like):
    return moment.replace(tzinfo=like.tzinfo) if moment is not None and moment.tzinfo is None else moment


@dataclass(frozen=True)
class Backoff:
    """Failures that make a key wait: after `free` failures within a window (from the first, `window`
    long), each further one closes the door for a delay that doubles, from `base` seconds up to `cap`."""

    name: str
    free: Callable[[], int]
    base: Callable[[], float]
    window: timedelta
    cap: timedelta
    message: str

    def _id(self, key: str) -> str:
        return f"{self.name}:{key}"

    def check(self, key: str) -> None:
        """Refuse (429) while `key` waits out its delay."""
        son = Delays._get_collection().find_one({"_id": self._id(key)})
        now = utcnow()
        until = _aware(son.get("until"), now) if son else None
        if until is not None and until > now:
            raise TooManyAttempts(self.message, max(1, math.ceil((until - now).total_seconds())))

    def fail(self, key: str) -> int:
        """Count one failure of `key` (the first after a window starts a new one); the count."""
        if self.free() <= 0:
            return 0
        now, coll = utcnow(), Delays._get_collection()
        coll.update_one({"_id": self._id(key), "window_start": {"$lte": now - self.window}},
                        {"$set": {"count": 0, "window_start": now}})
        change = {"$inc": {"count": 1}, "$setOnInsert": {"window_start": now}}
        try:
            son = update_returning(coll, {"_id": self._id(key)}, change, upsert=True)
        except DuplicateKeyError:  # created meanwhile by another request
            son = update_returning(coll, {"_id": self._id(key)}, change)
        over = son["count"] - self.free()
        if over >= 0:
            delay = min(timedelta(seconds=self.base() * 2 ** min(over, 30)), self.cap)
            coll.update_one({"_id": self._id(key)}, {"$set": {"until": now + delay}})
        return son["count"]

    def clear(self, key: str) -> None:
        Delays._get_collection().delete_one({"_id": self._id(key)})
