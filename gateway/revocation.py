"""Ending sessions: sign-out, a password change or reset, and closing the account revoke the user
tokens already handed out (the pages keep theirs in the session cookie; API clients hold bearers).

Every user token carries its account's `token_version` of the moment it was issued (claim `ver`,
see services.auth.user_token); revoking raises the account's version, so every token issued before
is refused. The gateway's processes each remember an account's version for REFRESH_SECONDS: a
token revoked through another process (another gunicorn worker or replica) is refused there at most
that long after. A token newer than the remembered version is checked against the database at once,
so the fresh token of a password change works on every process straight away. A closed account has
no version: its tokens are refused (besides `gateway.erasure.is_closed`)."""
from __future__ import annotations

import threading
import time

from gateway.store import Account
from services.claims import update_returning
from services.auth import Caller, user_token, user_token_version, verify_user_token
from services.errors import Unauthorized

REFRESH_SECONDS = 2.0
REVOKED = "This session has ended. Sign in again."
_known: dict[str, tuple[int | None, float]] = {}  # account id -> (its token version, when read)
_lock = threading.Lock()


def issue(account: Account) -> str:
    """A user token for `account`, valid until its token version moves on (or it expires)."""
    return user_token(Caller(account.id, account.role, account.municipality), version=account.token_version or 0)


def verify(token: str) -> Caller:
    """The caller of a valid user token that has not been revoked (401 otherwise)."""
    caller = verify_user_token(token)
    version = user_token_version(token)
    if version != current_version(caller.id, version):
        raise Unauthorized(REVOKED)
    return caller


def refreshed(token: str, caller: Caller) -> str:
    """A new token for the same session (the sliding session of the pages), of the same version."""
    return user_token(caller, version=user_token_version(token))


def current_version(account_id: str, presented: int | None = None) -> int | None:
    """The account's token version (None once it is gone), remembered for REFRESH_SECONDS unless
    `presented` is higher than the remembered one."""
    now = time.monotonic()
    known = _known.get(account_id)
    fresh = known is not None and now - known[1] < REFRESH_SECONDS
    if fresh and (presented is None or known[0] is None or presented <= known[0]):
        return known[0]
    account = Account.objects(id=account_id).only("token_version").first()
    version = None if account is None else (account.token_version or 0)
    _remember(account_id, version, now)
    return version


def revoke(account_id: str) -> int | None:
    """Refuse every user token issued so far to the account; its new version (None if it is gone)."""
    son = update_returning(Account._get_collection(), {"_id": account_id}, {"$inc": {"token_version": 1}})
    version = None if son is None else son["token_version"]
    _remember(account_id, version, time.monotonic())
    return version


def _remember(account_id: str, version: int | None, at: float) -> None:
    with _lock:
        if len(_known) > 50_000:  # a bound on memory: forget everything, re-read as needed
            _known.clear()
        _known[account_id] = (version, at)
