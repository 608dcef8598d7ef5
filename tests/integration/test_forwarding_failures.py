"""When the ministry's intake fails: retries with backoff, abandonment, and a staff retry."""
from __future__ import annotations

import requests

from tests.support import poll, published_for_voting, register, staff_of


def _control(platform, **settings):
    return requests.post(f"{platform.url('institution')}/_control", json=settings, timeout=10).json()


def _adopted(gateway, theme: str) -> tuple:
    staff, author, voter = staff_of(gateway), register(gateway), register(gateway, eligible=True)
    pid = published_for_voting(author, staff, theme=theme, competence="national")
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    assert voter.put(f"/proposals/{pid}/ballot", json={"choice": "yes"}).status_code == 200
    return staff, author, pid


def _dossier(client, pid):
    dossiers = client.get(f"/proposals/{pid}/forwarding").json()["dossiers"]
    return dossiers[0] if dossiers else None


def test_transient_failures_are_retried_until_acknowledged(platform, gateway):
    staff, author, pid = _adopted(gateway, "education")
    _control(platform, fail_next=2)
    try:
        assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
        dossier = poll(lambda: (d := _dossier(author, pid)) and d["status"] == "acknowledged" and d, 30,
                       "acknowledgement after two failed attempts")
    finally:
        _control(platform, fail_next=0)
    assert dossier["attempts"] == 3 and dossier["institution_id"] == "mvi"
    assert dossier["receipt"].startswith("R-") and dossier["last_error"] is None


def test_abandoned_after_the_limit_then_retried_by_staff(platform, gateway):
    staff, author, pid = _adopted(gateway, "housing")
    _control(platform, mode="fail")
    try:
        assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
        dossier = poll(lambda: (d := _dossier(author, pid)) and d["status"] == "abandoned" and d, 30,
                       "abandonment after the attempt limit")
    finally:
        _control(platform, mode="ok")
    assert dossier["attempts"] == 4 and dossier["last_error"] is None  # delivery errors are staff's to read
    assert "HTTP 500" in _dossier(staff, pid)["last_error"]

    refused = author.post(f"/dossiers/{dossier['id']}/retry")
    assert refused.status_code == 403
    retried = staff.post(f"/dossiers/{dossier['id']}/retry")
    assert retried.status_code == 200, retried.text
    done = poll(lambda: (d := _dossier(author, pid)) and d["status"] == "acknowledged" and d, 30,
                "acknowledgement after the staff retry")
    assert done["attempts"] == 1
    again = staff.post(f"/dossiers/{dossier['id']}/retry")
    assert again.status_code == 409  # only abandoned dossiers can be retried
