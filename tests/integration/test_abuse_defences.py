"""Issue 16, after UK Petitions: staff block client networks and e-mail domains for registrations and
supports, see recent ones grouped by network or domain, preview a group and undo it (supports
withdrawn so the counts drop, accounts closed), each step in the audit log of these defences."""
from __future__ import annotations

import uuid

import pytest
import requests

from tests.support import (PASSWORD, account_of, make_eligible, new_process, operator_of, published_for_voting,
                           register)


@pytest.fixture(scope="module")
def desk(gateway):
    code = f"rob-{uuid.uuid4().hex[:6]}"
    assert operator_of(gateway).post("/municipalities", json={
        "code": code, "name": "Rob", "languages": ["sl", "en"]}).status_code == 201
    staff = account_of(gateway, "staff", code)[0]
    author = register(gateway, municipality=code)
    pid = published_for_voting(author, staff, process_id=new_process(staff)["id"])
    return {"code": code, "staff": staff, "proposal": pid, "net": f"10.{uuid.uuid4().int % 200 + 20}.9"}


def join(gateway, code: str, address: str, domain: str = "example.org") -> requests.Response:
    return requests.post(f"{gateway}/api/v1/auth/register", timeout=30, headers={"X-Forwarded-For": address}, json={
        "email": f"r-{uuid.uuid4().hex[:8]}@{domain}", "password": PASSWORD, "municipality": code})


def supporter(gateway, code: str, address: str, eligible: bool = True):
    """A resident of `code` whose requests come from `address` (verified: supports need it)."""
    client = register(gateway, municipality=code)
    client.session.headers["X-Forwarded-For"] = address
    return make_eligible(gateway, [client], code)[0] if eligible else client


def test_staff_block_a_domain_and_a_network_for_registrations_and_supports(gateway, desk):
    staff, code = desk["staff"], desk["code"]
    spam = f"spam-{uuid.uuid4().hex[:6]}.example"
    assert staff.post("/abuse/blocks", json={"kind": "domain", "value": "@" + spam.upper()}).status_code == 201
    bad = staff.post("/abuse/blocks", json={"kind": "address", "value": "10.1.2.300"})
    assert bad.status_code == 422 and "value" in bad.json()["errors"]["json"], bad.text
    block = staff.post("/abuse/blocks", json={"kind": "address", "value": f"{desk['net']}.0/28", "reason": "Bots"})
    assert block.status_code == 201 and block.json()["value"] == f"{desk['net']}.0/28", block.text

    refused = [join(gateway, code, "192.0.2.10", domain=spam), join(gateway, code, f"{desk['net']}.7")]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(403, "blocked")] * 2, [r.text for r in refused]
    assert join(gateway, code, f"{desk['net']}.20").status_code == 201  # outside the /28
    assert join(gateway, "idrija", "192.0.2.11", domain=spam).status_code == 201  # another municipality's own
    support = supporter(gateway, code, f"{desk['net']}.8", eligible=False).put(f"/proposals/{desk['proposal']}/support")
    assert support.status_code == 403 and support.json()["code"] == "blocked", support.text

    lifted = staff.delete(f"/abuse/blocks/{block.json()['id']}")
    assert lifted.status_code == 200
    assert join(gateway, code, f"{desk['net']}.7").status_code == 201
    print("blocks: 6 attempts; refused 3 (2 registrations, 1 support: 403 blocked), admitted 3 "
          "(outside the /28, in another municipality, after the lift)")


def test_staff_undo_a_burst_of_supports_and_of_registrations(gateway, desk):
    staff, code, pid = desk["staff"], desk["code"], desk["proposal"]
    burst = f"10.{uuid.uuid4().int % 200 + 20}.{uuid.uuid4().int % 250}"
    fakes = [supporter(gateway, code, f"{burst}.{n + 1}") for n in range(4)]
    counts = [fake.put(f"/proposals/{pid}/support").json()["supports"] for fake in fakes]
    assert counts == [1, 2, 3, 4], counts

    groups = staff.get("/abuse/bursts", params={"kind": "support", "by": "network", "minutes": 60}).json()
    group = next(g for g in groups if g["key"] == f"{burst}.0/24")
    assert (group["count"], group["accounts"], group["addresses"]) == (4, 4, 4), group
    undo = {"kind": "support", "by": "network", "key": group["key"], "minutes": 60}
    preview = staff.post("/abuse/invalidations", json=undo).json()
    assert (preview["matched"], preview["invalidated"], preview["confirmed"]) == (4, 0, False), preview
    done = staff.post("/abuse/invalidations", json={**undo, "confirm": True}).json()
    assert done["invalidated"] == 4, done
    honest = supporter(gateway, code, "192.0.2.99").put(f"/proposals/{pid}/support").json()
    assert honest["supports"] == 1, honest  # the four are gone
    print(f"bulk supports: 4 from {group['key']}, previewed 4, withdrawn 4; count 4 -> 0 (+1 honest)")

    domain = f"fake-{uuid.uuid4().hex[:6]}.example"
    emails = []
    for n in range(3):
        answer = join(gateway, code, f"198.51.100.{n + 1}", domain=domain)
        assert answer.status_code == 201
        emails.append(answer.json()["email"])
    groups = staff.get("/abuse/bursts", params={"kind": "registration", "by": "domain"}).json()
    assert next(g for g in groups if g["key"] == domain)["count"] == 3
    done = staff.post("/abuse/invalidations", json={"kind": "registration", "by": "domain", "key": domain,
                                                    "minutes": 60, "confirm": True}).json()
    assert (done["matched"], done["invalidated"]) == (3, 3), done
    signed = [requests.post(f"{gateway}/api/v1/auth/login", json={"email": e, "password": PASSWORD},
                            timeout=30).status_code for e in emails]
    assert signed == [401] * 3, signed
    print(f"bulk registrations: 3 from @{domain}, closed 3")

    log = staff.get("/abuse/actions").json()
    assert [a["action"] for a in log[:2]] == ["registrations_invalidated", "supports_invalidated"], log
    assert log[1]["count"] == 4 and log[1]["detail"]["key"] == group["key"]
