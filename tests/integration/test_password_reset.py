"""A forgotten password: the gateway announces a link (accounts.password_reset_requested), the
notifications service mails it in the account's language, the gateway keeps only the token's hash,
the link works once and for an hour, and requests are limited per address (every address alike, so
neither the answer nor the limit tells whether an account exists)."""
from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pymongo
import requests

from services.i18n import gettext
from services.local.smtp_server import read_mailbox
from services.settings import get_settings
from tests.support import PASSWORD, login, poll, register, unique_email

LINK = re.compile(r"(http://\S+/password-reset/([A-Za-z0-9_-]+))")


def ask(gateway: str, email: str) -> requests.Response:
    return requests.post(f"{gateway}/api/v1/auth/password-reset", json={"email": email}, timeout=30)


def choose(gateway: str, token: str, password: str) -> requests.Response:
    return requests.post(f"{gateway}/api/v1/auth/password-reset/new-password",
                         json={"token": token, "password": password}, timeout=30)


def reset_mails(platform, email: str, count: int = 1) -> list:
    return poll(lambda: len(found := [m for m in read_mailbox(platform.maildir, to=email)
                                      if "/password-reset/" in m.get_content()]) >= count and found,
                30, f"{count} password reset mail(s) to {email}")


def database(service: str):
    settings = get_settings()
    return pymongo.MongoClient(settings.mongo_uri)[settings.database(service)]


def test_the_link_is_mailed_in_the_account_s_language_works_once_and_only_its_hash_is_kept(platform, gateway):
    resident = register(gateway, language="uk")
    answer = ask(gateway, resident.email.upper())  # the address as typed: normalised like at sign-in
    assert answer.status_code == 202
    assert answer.json() == ask(gateway, unique_email("nobody")).json()  # the same answer without an account

    mail = reset_mails(platform, resident.email)[0]
    assert mail["Subject"] == gettext("uk", "Choose a new password")
    link, token = LINK.search(mail.get_content()).groups()
    assert link.startswith(f"{gateway}/password-reset/")

    kept = database("gateway")["password_resets"].find_one({"_id": hashlib.sha256(token.encode()).hexdigest()})
    assert kept and kept["used_at"] is None and token not in str(kept)
    poll(lambda: (row := database("notifications")["mails"].find_one({"kind": "accounts.password_reset_requested",
                                                                      "email": resident.email}))
         and row["status"] == "sent" and row["values"] == {} and row["language"] == "uk", 30,
         "the mail, in the account's language, sent and its link forgotten")
    assert not any(token in path.read_text(errors="replace") for path in (platform.var / "log").glob("*.log"))

    weak = choose(gateway, token, "short")
    assert weak.status_code == 422 and "password" in weak.json()["errors"]["json"]
    assert choose(gateway, token, "a-brand-new-password-7").status_code == 200
    assert login(gateway, resident.email, "a-brand-new-password-7")
    again = choose(gateway, token, "yet-another-password-8")
    assert again.status_code == 422 and "token" in again.json()["errors"]["json"]
    old = requests.post(f"{gateway}/api/v1/auth/login", json={"email": resident.email, "password": PASSWORD},
                        timeout=30)
    assert old.status_code == 401


def test_a_newer_link_replaces_the_older_and_a_link_expires_after_its_hour(platform, gateway):
    resident = register(gateway)
    assert ask(gateway, resident.email).status_code == 202
    first = LINK.search(reset_mails(platform, resident.email)[0].get_content()).group(2)
    assert ask(gateway, resident.email).status_code == 202
    tokens = {LINK.search(m.get_content()).group(2) for m in reset_mails(platform, resident.email, 2)}
    second = (tokens - {first}).pop()
    replaced = choose(gateway, first, "a-brand-new-password-7")
    assert replaced.status_code == 422 and "token" in replaced.json()["errors"]["json"]

    # The hour passes (the stored expiry is moved back): the link is refused, the password unchanged.
    database("gateway")["password_resets"].update_one(
        {"_id": hashlib.sha256(second.encode()).hexdigest()},
        {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}})
    expired = choose(gateway, second, "a-brand-new-password-7")
    assert expired.status_code == 422 and "token" in expired.json()["errors"]["json"]
    assert login(gateway, resident.email, PASSWORD)


def test_requests_are_limited_per_address_whether_or_not_it_has_an_account(platform, gateway):
    resident, nobody = register(gateway), unique_email("nobody")
    for address in (resident.email, nobody):
        assert [ask(gateway, address).status_code for _ in range(3)] == [202, 202, 202]
        refused = ask(gateway, address)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert ask(gateway, unique_email("someone-else")).status_code == 202  # other addresses are not held up
    bad = ask(gateway, "not an address")
    assert bad.status_code == 422 and "email" in bad.json()["errors"]["json"]
