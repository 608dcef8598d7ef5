"""Use cases of the gateway: accounts and sign-in."""
from __future__ import annotations

from datetime import timedelta

from pymongo.errors import DuplicateKeyError
from gateway.passwords import check, check_password_hash, hash_password

from gateway import domain, municipalities, revocation
from gateway.store import Account
from services.db import Unit, atomically
from services.errors import Conflict, Unauthorized
from services.events import Actor, make_event
from services.limits import Limit, TooManyAttempts  # noqa: F401 - the pages catch handlers.TooManyAttempts
from services.settings import get_settings

DEMO_ACCOUNTS = [  # (e-mail, role, language, municipality)
    ("staff@idrija.si", "staff", "sl", "idrija"),
    ("ana.resident@example.org", "resident", "sl", "idrija"),
    ("oleh.resident@example.org", "resident", "uk", "idrija"),
    ("staff@litija.si", "staff", "sl", "litija"),
    ("staff@ljubljana.si", "staff", "sl", "ljubljana"),
    ("vlozisce@mddsz.gov.si", "institution", "sl", None),
    ("operater@civic.si", "operator", "sl", None),
]
DEMO_PASSWORD = "demo-password-1"
# A constant hash so that a login for an unknown e-mail costs as much as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password-1")


LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES_ALLOWED = 10
LOGINS = Limit("login_failures", lambda: LOGIN_FAILURES_ALLOWED, lambda: LOGIN_WINDOW,
               "Too many failed sign-ins for this e-mail; try again later.")
REGISTRATIONS = Limit("registrations", lambda: get_settings().registrations_per_hour, lambda: timedelta(hours=1),
                      "Too many accounts were opened from your address; try again later.")


def register(data: dict, role: str = "resident", client: str | None = None) -> Account:
    """Create an account and announce it (notifications learn the contact address).

    `client` is the address a public request came from: each may open registrations_per_hour
    accounts an hour (operators' and seeded accounts come from no address and are not limited)."""
    if client:
        REGISTRATIONS.take(client)
    known = municipalities.known_codes(including=data.get("municipality"))
    municipality = domain.home_municipality(role, data.get("municipality"), known)
    check(data["password"], data["email"])
    account = Account(email=domain.normalise_email(data["email"]), role=role,
                      password_hash=hash_password(data["password"]),
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


def login(email: str, password: str) -> dict:
    """A bearer token; failed sign-ins are limited per e-mail (429 with Retry-After)."""
    email = domain.normalise_email(email)
    LOGINS.check(email)
    account = Account.objects(email=email).first()
    if not check_password_hash(account.password_hash if account else _DUMMY_HASH, password) or not account:
        LOGINS.count(email)
        raise Unauthorized("The e-mail or the password is wrong.")
    LOGINS.clear(email)
    return {"token": revocation.issue(account), "token_type": "Bearer",
            "expires_in": get_settings().user_token_ttl, "user": account}


def seed_demo() -> None:
    municipalities.seed_demo()
    for email, role, language, municipality in DEMO_ACCOUNTS:
        if not Account.objects(email=email).first():
            register({"email": email, "password": DEMO_PASSWORD, "municipality": municipality,
                      "language": language}, role=role)
