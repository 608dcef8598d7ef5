"""Issue 16: abuse limits on every write a resident makes, per account and per client address, set
per municipality over the platform's defaults, refused with 429 and Retry-After.

The suite's platform keeps its defaults far above what the tests write from 127.0.0.1
(tests.support.ABUSE_LIMITS_OFF_THE_WAY); this module's municipality has low limits of its own."""
from __future__ import annotations

import uuid

import pytest
import requests

from tests.support import (PASSWORD, account_of, client_address, make_eligible, new_process, operator_of,
                           published_for_voting, register, unique_email)

LIMITS = {  # kind -> (per account, per address) in the municipality of these tests
    "registrations": (0, 3), "proposals": (3, 0), "comments": (0, 4), "reports": (2, 0),
    "supports": (3, 0), "ballots": (3, 0), "verifications": (2, 0),
}


@pytest.fixture(scope="module")
def town(gateway):
    """A municipality with low limits, its staff, a process and a published proposal open for voting."""
    code = f"meje-{uuid.uuid4().hex[:6]}"
    answer = operator_of(gateway).post("/municipalities", json={
        "code": code, "name": "Meje", "languages": ["sl", "en"],
        "limits": {kind: {"per_account": a, "per_address": b} for kind, (a, b) in LIMITS.items()}})
    assert answer.status_code == 201, answer.text
    assert answer.json()["limits"]["comments"] == {"per_account": 0, "per_address": 4}
    staff = account_of(gateway, "staff", code)[0]
    process = new_process(staff)["id"]
    author = resident(gateway, code)
    pid = published_for_voting(author, staff, process_id=process)
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    supported = published_for_voting(author, staff, process_id=process)  # supports close when voting opens
    return {"code": code, "staff": staff, "process": process, "proposal": pid, "supported": supported}


def resident(gateway, code: str, address: str | None = None, eligible: bool = False):
    """A resident of `code` whose requests come from an address of their own (or `address`)."""
    client = register(gateway, municipality=code, eligible=False)
    client.session.headers["X-Forwarded-For"] = address or client_address()
    if eligible:
        make_eligible(gateway, [client], code)
    return client


def attempts(kind: str, calls, allowed: int) -> None:
    """Make the calls in turn: the first `allowed` pass, the rest are 429 with Retry-After."""
    statuses = [call() for call in calls]
    refused = [answer for answer in statuses if answer.status_code == 429]
    who = "account" if LIMITS[kind][0] else "address"
    print(f"{kind}: {len(statuses)} attempts, limit {allowed} per {who} an hour, refused {len(refused)}")
    assert all(answer.status_code != 429 for answer in statuses[:allowed]), [a.text for a in statuses[:allowed]]
    assert len(refused) == len(statuses) - allowed, [a.status_code for a in statuses]
    for answer in refused:
        assert answer.json()["code"] == "too_many_attempts", answer.text
        assert 1 <= int(answer.headers["Retry-After"]) <= 3600


def test_every_resident_write_is_limited_per_account_or_address(gateway, town):
    code, pid = town["code"], town["proposal"]
    address = client_address()
    attempts("registrations", [lambda: requests.post(f"{gateway}/api/v1/auth/register", timeout=30, json={
        "email": unique_email("burst"), "password": PASSWORD, "municipality": code},
        headers={"X-Forwarded-For": address}) for _ in range(5)], 3)

    author = resident(gateway, code)
    attempts("proposals", [lambda n=n: author.post("/proposals", json={
        "process_id": town["process"], "title": f"Proposal number {n} of one busy account",
        "summary": "A summary long enough.", "theme": "housing", "language": "en"}) for n in range(5)], 3)

    shared = client_address()  # two residents behind one address share its allowance
    neighbours = [resident(gateway, code, shared), resident(gateway, code, shared)]
    attempts("comments", [lambda who=who, n=n: who.post(f"/proposals/{pid}/comments", json={
        "body": f"Comment {n}.", "alignment": "for"}) for n in range(3) for who in neighbours], 4)

    reporter = resident(gateway, code)
    attempts("reports", [lambda n=n: reporter.post(f"/proposals/{pid}/reports", json={"reason": f"Spam {n}."})
                         for n in range(4)], 2)

    supporter = resident(gateway, code)
    attempts("supports", [lambda n=n: (supporter.put if n % 2 == 0 else supporter.delete)(
        f"/proposals/{town['supported']}/support") for n in range(5)], 3)

    guesser = resident(gateway, code)
    attempts("verifications", [lambda n=n: guesser.post("/eligibility/verification", json={
        "reference": f"GUESS-{n}", "date_of_birth": "1990-01-01"}) for n in range(4)], 2)

    voter = resident(gateway, code, eligible=True)  # one verification of its own: another account's count
    attempts("ballots", [lambda n=n: voter.put(f"/proposals/{pid}/ballot", json={
        "choice": ("yes", "no")[n % 2]}) for n in range(5)], 3)
