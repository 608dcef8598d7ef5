"""Use cases of the gateway: accounts and sign-in."""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError
from werkzeug.security import check_password_hash, generate_password_hash

from gateway import domain
from gateway.store import Account
from services.auth import Caller, user_token
from services.db import Unit, atomically
from services.errors import Conflict, Unauthorized
from services.events import Actor, make_event
from services.settings import get_settings

DEMO_ACCOUNTS = [
    ("staff@idrija.si", "staff", "sl"),
    ("ana.resident@example.org", "resident", "sl"),
    ("oleh.resident@example.org", "resident", "uk"),
    ("vlozisce@mddsz.gov.si", "institution", "sl"),
]
DEMO_PASSWORD = "demo-password-1"
# A constant hash so that a login for an unknown e-mail costs as much as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-1")


def register(data: dict, role: str = "resident") -> Account:
    """Create an account and announce it (notifications learn the contact address)."""
    domain.check_municipality(data["municipality"])
    domain.check_password(data["password"])
    account = Account(email=domain.normalise_email(data["email"]), role=role,
                      password_hash=generate_password_hash(data["password"]),
                      municipality=data["municipality"], language=data.get("language") or "sl")

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
    account = Account.objects(email=domain.normalise_email(email)).first()
    if not check_password_hash(account.password_hash if account else _DUMMY_HASH, password) or not account:
        raise Unauthorized("The e-mail or the password is wrong.")
    caller = Caller(account.id, account.role, account.municipality)
    return {"token": user_token(caller), "token_type": "Bearer",
            "expires_in": get_settings().user_token_ttl, "user": account}


def seed_demo() -> None:
    for email, role, language in DEMO_ACCOUNTS:
        if not Account.objects(email=email).first():
            register({"email": email, "password": DEMO_PASSWORD, "municipality": "idrija",
                      "language": language}, role=role)
