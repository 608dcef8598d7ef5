"""Use cases of the gateway: accounts and sign-in."""
from __future__ import annotations

from datetime import timedelta

from pymongo.errors import DuplicateKeyError
from werkzeug.security import check_password_hash, generate_password_hash

from gateway import domain
from gateway.store import Account, LoginFailures
from services.auth import Caller, user_token
from services.db import Unit, atomically, utcnow
from services.errors import Conflict, DomainError, Unauthorized
from services.events import Actor, make_event
from services.settings import get_settings

DEMO_ACCOUNTS = [
    ("staff@idrija.si", "staff", "sl"),
    ("ana.resident@example.org", "resident", "sl"),
    ("oleh.resident@example.org", "resident", "uk"),
    ("vlozisce@mddsz.gov.si", "institution", "sl"),
    ("operater@civic.si", "operator", "sl"),
]
DEMO_PASSWORD = "demo-password-1"
# A constant hash so that a login for an unknown e-mail costs as much as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-1")


def register(data: dict, role: str = "resident") -> Account:
    """Create an account and announce it (notifications learn the contact address)."""
    municipality = domain.home_municipality(role, data.get("municipality"))
    domain.check_password(data["password"])
    account = Account(email=domain.normalise_email(data["email"]), role=role,
                      password_hash=generate_password_hash(data["password"]),
                      municipality=municipality, language=data.get("language") or "sl")

    def work(unit: Unit) -> Account:
        unit.insert(account)
        unit.emit(make_event("accounts.account_registered", municipality=account.municipality,
                             aggregate_id=account.id, actor=Actor(role, account.id), payload={
                                 "user_id": account.id, "email": account.email,
                                 "language": account.language, "role": account.role}))
        return account

    try:
        return atomically(work)
    except DuplicateKeyError as exc:
        raise Conflict("An account with this e-mail already exists.", code="duplicate",
                       errors={"json": {"email": ["Already registered."]}}) from exc


LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES_ALLOWED = 10


class TooManyAttempts(DomainError):
    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


def _check_not_locked(email: str) -> None:
    record = LoginFailures.objects(id=email).first()
    if record and record.count >= LOGIN_FAILURES_ALLOWED:
        wait = (record.window_start + LOGIN_WINDOW - utcnow()).total_seconds()
        if wait > 0:
            raise TooManyAttempts("Too many failed sign-ins for this e-mail; try again later.", max(wait, 1))


def _count_failure(email: str) -> None:
    """Count a failure in the current window (a new window starts when the old one is over)."""
    now = utcnow()
    LoginFailures._get_collection().update_one(
        {"_id": email, "window_start": {"$lt": now - LOGIN_WINDOW}},
        {"$set": {"count": 0, "window_start": now}})
    LoginFailures._get_collection().update_one(
        {"_id": email}, {"$inc": {"count": 1}, "$setOnInsert": {"window_start": now}}, upsert=True)


def login(email: str, password: str) -> dict:
    email = domain.normalise_email(email)
    _check_not_locked(email)
    account = Account.objects(email=email).first()
    if not check_password_hash(account.password_hash if account else _DUMMY_HASH, password) or not account:
        _count_failure(email)
        raise Unauthorized("The e-mail or the password is wrong.")
    LoginFailures.objects(id=email).delete()
    caller = Caller(account.id, account.role, account.municipality)
    return {"token": user_token(caller), "token_type": "Bearer",
            "expires_in": get_settings().user_token_ttl, "user": account}


def seed_demo() -> None:
    for email, role, language in DEMO_ACCOUNTS:
        if not Account.objects(email=email).first():
            register({"email": email, "password": DEMO_PASSWORD, "municipality": "idrija",
                      "language": language}, role=role)
