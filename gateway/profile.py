"""Use cases of one's own account: read it, change the display name and the language (announced as
`accounts.account_updated`, so that mails follow the language), and change the password (the
current one first, then a new one by the rules of registration). Each checks its row's access."""
from __future__ import annotations

from gateway import passwords, revocation
from gateway.passwords import check_password_hash, hash_password

from gateway.handlers import LOGINS
from gateway.routes import BY_NAME
from gateway.store import Account
from services.auth import Caller
from services.db import Unit, atomically
from services.errors import DomainError, NotFound
from services.events import Actor, make_event

WRONG_PASSWORD = "The current password is wrong."
SAME_PASSWORD = "Choose a password other than the current one."


def own_account(caller: Caller) -> Account:
    """The caller's account (404 once it is gone)."""
    account = Account.objects(id=caller.id).first()
    if account is None:
        raise NotFound("No such account.")
    return account


def account_of(caller: Caller) -> Account:
    BY_NAME["get_account"].access.check(caller)
    return own_account(caller)


def update(caller: Caller, data: dict) -> Account:
    """Change the display name (empty removes it) and the language."""
    BY_NAME["update_account"].access.check(caller)
    account = own_account(caller)
    changes = {}
    if "display_name" in data:
        changes["display_name"] = (data["display_name"] or "").strip() or None
    if data.get("language") and data["language"] != account.language:
        changes["language"] = data["language"]
    if not changes:
        return account

    def work(unit: Unit) -> Account:
        changed = unit.update(Account, {"_id": account.id}, {"$set": changes})
        if changed is None:
            raise NotFound("No such account.")
        if "language" in changes:
            unit.emit(make_event("accounts.account_updated", municipality=changed.municipality,
                                 aggregate_id=changed.id, actor=Actor(changed.role, changed.id),
                                 payload={"user_id": changed.id, "language": changed.language}))
        return changed

    return atomically(work)


def change_password(caller: Caller, current: str, new: str) -> dict:
    """A fresh user token for the caller; every earlier one is revoked. Failed attempts count with the
    failed sign-ins of the e-mail (429 when too many)."""
    BY_NAME["change_password"].access.check(caller)
    account = own_account(caller)
    LOGINS.check(account.email)
    if not check_password_hash(account.password_hash, current):
        LOGINS.count(account.email)
        raise DomainError(WRONG_PASSWORD, errors={"json": {"current_password": [WRONG_PASSWORD]}})
    set_password(account, new, field="new_password", old=current)
    # Every session and token of the person ends; the one that changed it goes on with a fresh token.
    account.token_version = revocation.revoke(account.id)
    return {"changed": True, "token": revocation.issue(account)}


def set_password(account: Account, new: str, *, field: str, old: str | None = None) -> None:
    """Store a new password by the rules of registration; errors name `field`."""
    try:
        passwords.check(new, account.email)
    except DomainError as exc:
        raise DomainError(exc.message, errors={"json": {field: exc.errors["json"]["password"]}}) from exc
    if old is not None and new == old:
        raise DomainError(SAME_PASSWORD, errors={"json": {field: [SAME_PASSWORD]}})
    Account.objects(id=account.id).update_one(set__password_hash=hash_password(new))
    LOGINS.clear(account.email)
