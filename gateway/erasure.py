"""Use case of closing one's account (residents): the password confirms it; the account, its reset
links, its rate-limit counters and its published outbox copies go, and `accounts.account_deleted`
tells the other services to forget the person (notifications: the e-mail address, inbox, follows,
settings). Proposals and comments stay under an id that leads to no one; ballots stay counted and
anonymous; the register entry stays confirmed, so that nobody votes twice with it.

A user token lives 12 hours and cannot be recalled, so the gateway refuses those of closed accounts
(`is_closed`), from a list each process reads again every few seconds."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

from gateway.passwords import check_password_hash

from gateway import profile, resets
from gateway.handlers import LOGINS
from gateway.routes import BY_NAME
from gateway.store import Account, DeletedAccount, PasswordReset
from services.auth import Caller
from services.db import OutboxEvent, Unit, atomically, utcnow
from services.errors import DomainError
from services.events import Actor, make_event
from services.settings import get_settings

REFRESH_SECONDS = 5.0
_closed: dict = {"ids": frozenset(), "read_at": 0.0}
_lock = threading.Lock()


def delete_account(caller: Caller, password: str) -> dict:
    """Close the caller's account, confirmed by its password (failures count as failed sign-ins)."""
    BY_NAME["delete_account"].access.check(caller)
    account = profile.own_account(caller)
    LOGINS.check(account.email)
    if not check_password_hash(account.password_hash, password):
        LOGINS.count(account.email)
        raise DomainError(profile.WRONG_PASSWORD, errors={"json": {"password": [profile.WRONG_PASSWORD]}})
    close(account, Actor(account.role, account.id))
    return {"deleted": True}


def close(account: Account, actor: Actor) -> None:
    """Close `account` and tell every service to forget its person (by the person, or by staff
    undoing a burst of fake registrations: gateway.blocks)."""
    def work(unit: Unit) -> None:
        unit.coll(Account).delete_one({"_id": account.id}, session=unit.session)
        unit.coll(PasswordReset).delete_many({"account_id": account.id}, session=unit.session)
        # Published copies of its events (its e-mail address among them); the broker's copies age out.
        unit.coll(OutboxEvent).delete_many({"key": account.id, "sent_at": {"$ne": None}}, session=unit.session)
        unit.save(DeletedAccount(id=account.id, at=utcnow()))
        unit.emit(make_event("accounts.account_deleted", municipality=account.municipality,
                             aggregate_id=account.id, actor=actor, payload={"user_id": account.id}))

    atomically(work)
    for limit in (LOGINS, resets.REQUESTS):  # their keys are the e-mail address
        limit.clear(account.email)
    with _lock:
        _closed["ids"] = _closed["ids"] | {account.id}


def is_closed(user_id: str) -> bool:
    """Whether the account behind a user token was closed (read again every REFRESH_SECONDS)."""
    now = time.monotonic()
    if now - _closed["read_at"] > REFRESH_SECONDS:
        since = utcnow() - timedelta(seconds=get_settings().user_token_ttl + 60)  # older tokens have expired
        ids = frozenset(DeletedAccount.objects(at__gte=since).scalar("id"))
        with _lock:
            _closed.update(ids=ids, read_at=now)
    return user_id in _closed["ids"]
