"""Use cases of the gateway: accounts and sign-in."""
from __future__ import annotations

from datetime import timedelta

from pymongo.errors import DuplicateKeyError
from gateway.passwords import check, check_password_hash, hash_password

from gateway import abuse, blocks, domain, municipalities, revocation
from gateway.store import Account
from services.db import Unit, atomically
from services.errors import Conflict, Unauthorized
from services.events import Actor, make_event
from services.limits import Backoff, Limit, TooManyAttempts  # noqa: F401 - the pages catch handlers.TooManyAttempts
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


# Failed sign-ins (issue 16): limited per (e-mail, client address) and per client address, with a
# delay that doubles after the free ones, so that someone elsewhere who knows a staff member's
# address cannot lock them out; a burst of failures on one account mails its owner, once a window.
SIGN_IN_WINDOW = timedelta(minutes=15)
SIGN_IN_PAIRS = Backoff("sign_in_failures_pair", lambda: get_settings().sign_in_failures_per_account,
                        lambda: get_settings().sign_in_delay_seconds, SIGN_IN_WINDOW, timedelta(hours=1),
                        "Too many failed sign-ins for this e-mail from your address; try again later.")
SIGN_IN_ADDRESSES = Backoff("sign_in_failures_address", lambda: get_settings().sign_in_failures_per_address,
                            lambda: get_settings().sign_in_delay_seconds, SIGN_IN_WINDOW, timedelta(hours=1),
                            "Too many failed sign-ins from your address; try again later.")
# The current password confirming a change by a signed-in person (gateway.profile, gateway.erasure).
LOGINS = Limit("login_failures", lambda: 10, lambda: SIGN_IN_WINDOW,
               "Too many wrong passwords for this account; try again later.")
SIGN_IN_BURSTS = Limit("sign_in_failures_account", lambda: get_settings().sign_in_burst, lambda: SIGN_IN_WINDOW,
                       "")


def register(data: dict, role: str = "resident", client: str | None = None) -> Account:
    """Create an account and announce it (notifications learn the contact address).

    `client` is the address a public request came from: each may open so many accounts an hour in a
    municipality (gateway.abuse; operators' and seeded accounts come from no address: not limited)."""
    if client:
        abuse.take("registrations", None, data.get("municipality"), client)
    known = municipalities.known_codes(including=data.get("municipality"))
    municipality = domain.home_municipality(role, data.get("municipality"), known)
    if client:
        blocks.refuse_blocked(municipality, client, data["email"])
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
        created = atomically(work)
    except DuplicateKeyError as exc:
        raise Conflict("An account with this e-mail already exists.", code="duplicate",
                       errors={"json": {"email": ["Already registered."]}}) from exc
    if client:
        blocks.record("registration", created.id, created.municipality, created.email, client)
    return created


def login(email: str, password: str, client: str | None = None) -> dict:
    """A bearer token; failed sign-ins make the (e-mail, address) pair and the address wait (429)."""
    email = domain.normalise_email(email)
    client = client or abuse.client_address() or "-"
    pair = f"{email}|{client}"
    SIGN_IN_PAIRS.check(pair)
    SIGN_IN_ADDRESSES.check(client)
    account = Account.objects(email=email).first()
    if not check_password_hash(account.password_hash if account else _DUMMY_HASH, password) or not account:
        SIGN_IN_PAIRS.fail(pair)
        SIGN_IN_ADDRESSES.fail(client)
        if account:
            _count_failure(account)
        raise Unauthorized("The e-mail or the password is wrong.")
    SIGN_IN_PAIRS.clear(pair)
    return {"token": revocation.issue(account), "token_type": "Bearer",
            "expires_in": get_settings().user_token_ttl, "user": account}


def _count_failure(account: Account) -> None:
    """Tell the owner when their account sees a burst of failed sign-ins (once in a window)."""
    burst = get_settings().sign_in_burst
    if SIGN_IN_BURSTS.count(account.id) != burst:
        return
    atomically(lambda unit: unit.emit(make_event(
        "accounts.sign_in_failures_burst", municipality=account.municipality, aggregate_id=account.id,
        actor=Actor("system", "gateway"), payload={
            "user_id": account.id, "email": account.email, "language": account.language, "failures": burst,
            "minutes": int(SIGN_IN_WINDOW.total_seconds() // 60)})))


def seed_demo() -> None:
    municipalities.seed_demo()
    for email, role, language, municipality in DEMO_ACCOUNTS:
        if not Account.objects(email=email).first():
            register({"email": email, "password": DEMO_PASSWORD, "municipality": municipality,
                      "language": language}, role=role)
