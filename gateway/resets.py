"""Use cases of a forgotten password: ask for a link by e-mail, then choose a new password with it.

The answer to a request is the same whether or not an account has the address, and requests are
limited per address (every address, so the limit tells nothing either). The link's token is random;
only its SHA-256 is stored, it expires after an hour and works once (the newest link of an account
replaces the older ones). The mail goes through notifications (`accounts.password_reset_requested`);
the link is built on the configured public address (CIVIC_GATEWAY_URL), never the request's Host."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from gateway import passwords
from gateway.passwords import hash_password

from gateway import domain, revocation
from gateway.handlers import LOGINS
from gateway.store import Account, PasswordReset
from services.db import Unit, atomically, utcnow
from services.errors import DomainError
from services.events import Actor, make_event
from services.limits import Limit
from services.settings import get_settings

RESET_TTL = timedelta(hours=1)  # the mail (notifications.domain MESSAGES) says "within an hour"
REQUESTS_PER_HOUR = 3
REQUESTS = Limit("password_reset_requests", lambda: REQUESTS_PER_HOUR, lambda: timedelta(hours=1),
                 "Too many password reset requests for this e-mail address; try again later.")
ANSWER = "If an account has this e-mail address, a link to choose a new password is on its way to it."
BAD_LINK = "This link is not valid: it has expired or has been used. Ask for a new one."


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_of(token: str) -> str:
    return f"{get_settings().gateway_url.rstrip('/')}/password-reset/{token}"


def request_reset(email: str) -> dict:
    """Mail a link to the account with this address, if there is one; the same answer either way."""
    email = domain.normalise_email(email)
    REQUESTS.take(email)
    account = Account.objects(email=email).first()
    if account is None:
        return {"message": ANSWER}
    token = secrets.token_urlsafe(32)
    now = utcnow()

    def work(unit: Unit) -> None:
        unit.coll(PasswordReset).delete_many({"account_id": account.id, "used_at": None}, session=unit.session)
        unit.insert(PasswordReset(id=digest(token), account_id=account.id, created_at=now,
                                  expires_at=now + RESET_TTL))
        unit.emit(make_event("accounts.password_reset_requested", municipality=account.municipality,
                             aggregate_id=account.id, actor=Actor(account.role, account.id), payload={
                                 "user_id": account.id, "email": account.email, "language": account.language,
                                 "link": link_of(token)}))

    atomically(work)
    return {"message": ANSWER}


def link_works(token: str) -> bool:
    """Whether a link can still be used (the page asks before it shows the form)."""
    return PasswordReset.objects(id=digest(token), used_at=None, expires_at__gt=utcnow()).first() is not None


def reset_password(token: str, password: str) -> dict:
    """Set the new password and use up the link, in one transaction (a second use finds it used)."""
    link = PasswordReset.objects(id=digest(token), used_at=None, expires_at__gt=utcnow()).first()
    if link is None:
        raise DomainError(BAD_LINK, errors={"json": {"token": [BAD_LINK]}})
    owner = Account.objects(id=link.account_id).only("email").first()
    passwords.check(password, owner.email if owner else None)
    now = utcnow()

    def work(unit: Unit) -> Account | None:
        used = unit.update(PasswordReset, {"_id": digest(token), "used_at": None, "expires_at": {"$gt": now}},
                           {"$set": {"used_at": now}})
        if used is None:
            return None
        return unit.update(Account, {"_id": used.account_id},
                           {"$set": {"password_hash": hash_password(password)}})

    account = atomically(work)
    if account is None:
        raise DomainError(BAD_LINK, errors={"json": {"token": [BAD_LINK]}})
    LOGINS.clear(account.email)
    revocation.revoke(account.id)  # whoever held a session or token of the account holds it no longer
    return {"changed": True}
