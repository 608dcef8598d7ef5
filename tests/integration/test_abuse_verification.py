"""Issue 8, finding 8: verification cannot be brute-forced across accounts, nor registration
repeated without end from one address.

Failed verifications are limited per register reference over 24 hours, whichever accounts try
(the 6th failure is a 429 even from a new account, even with the right date), and the
municipality's staff are alerted once when a reference is being tried. Registrations are limited
per client address (the test platform allows 40 an hour and trusts one proxy hop)."""
from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.support import PASSWORD, client_address, poll, register, registrar, staff_of, unique_email

BORN = "1961-09-17"
ALLOWED_REGISTRATIONS = 40  # CIVIC_REGISTRATIONS_PER_HOUR in tests/conftest.py


def test_five_accounts_trying_one_reference_lock_it_and_staff_are_alerted(gateway):
    staff = staff_of(gateway, "litija", alerts=True)  # of the municipality whose register is tried
    reference = f"ABUSE-{uuid.uuid4().hex[:8].upper()}"
    imported = registrar(gateway, "litija").post("/eligibility/register", json={
        "csv": f"reference,date_of_birth\n{reference},{BORN}\n"})
    assert imported.status_code == 200 and imported.json()["imported"] == 1, imported.text
    for year in range(1960, 1965):  # five fresh accounts, one wrong guess each
        guess = register(gateway, municipality="litija").post("/eligibility/verification", json={
            "reference": reference, "date_of_birth": f"{year}-01-01"})
        assert guess.status_code == 422, guess.text
    for born in ("1965-01-01", BORN):  # a sixth account: refused, even with the right date
        refused = register(gateway, municipality="litija").post("/eligibility/verification", json={
            "reference": reference.lower(), "date_of_birth": born})
        assert refused.status_code == 429, refused.text
        assert refused.json()["code"] == "too_many_attempts"
        assert 3600 < int(refused.headers["Retry-After"]) <= 24 * 3600
    # Other references are not affected.
    other = register(gateway, municipality="litija", eligible=True)
    assert other.get("/eligibility/verification").json()["verified"] is True

    def alerts():
        items = staff.get("/inbox", params={"per_page": 100}).json()["items"]
        return [i for i in items if i["kind"] == "voting.verification_abuse_suspected"]

    found = poll(alerts, 30, "the staff's alert about the reference being tried")
    assert len(found) == 1 and reference in found[0]["body"], found


def test_registration_from_one_address_is_limited_per_hour(gateway):
    address = client_address()

    def attempt(_=None, at=address) -> requests.Response:
        return requests.post(f"{gateway}/api/v1/auth/register", json={
            "email": unique_email("burst"), "password": PASSWORD, "municipality": "idrija", "language": "en"},
            headers={"X-Forwarded-For": at}, timeout=60)

    with ThreadPoolExecutor(4) as pool:
        statuses = sorted(answer.status_code for answer in pool.map(attempt, range(ALLOWED_REGISTRATIONS + 3)))
    assert statuses == [201] * ALLOWED_REGISTRATIONS + [429] * 3, statuses
    refused = attempt()
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_attempts", refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert attempt(at=client_address()).status_code == 201  # another address is not limited
    # The registration page shares the limit.
    browser = requests.Session()
    browser.headers["X-Forwarded-For"] = address
    form = browser.get(f"{gateway}/register?lang=en", timeout=30).text
    page = browser.post(f"{gateway}/register", data={
        "email": unique_email("burst"), "password": PASSWORD, "municipality": "idrija", "language": "en",
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)},
        timeout=60, allow_redirects=False)
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0, page.status_code
