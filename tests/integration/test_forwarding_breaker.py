"""An institution's intake misbehaving, one intake at a time: slow beyond the timeout, a rejected
signature, and a circuit breaker that pauses sending to a failing institution."""
from __future__ import annotations

import uuid

import requests

from services.local.smtp_server import read_mailbox
from tests.support import dossier_of, forwarded_to, operator_of, poll, staff_of, wait_status


def _control(platform, **settings):
    answer = requests.post(f"{platform.url('institution')}/_control", json=settings, timeout=10)
    return answer.json()


def _webhook_institution(platform, staff, secret: str = "dev-institution-secret", **extra) -> str:
    code = f"w-{uuid.uuid4().hex[:8]}"
    body = {"id": code, "name": {"sl": f"Preizkusni urad {code}", "en": f"Test office {code}"}, "themes": [],
            "channel": "webhook", "webhook_url": f"{platform.url('institution')}/intake/{code}", "secret": secret,
            "deadline_days": 30, **extra}
    answer = operator_of(staff).post("/institutions", json=body)
    assert answer.status_code == 201, answer.text
    return code


def test_circuit_breaker_pauses_a_failing_institution_then_closes(platform, gateway):
    staff = staff_of(gateway, alerts=True)
    code = _webhook_institution(platform, staff, breaker_threshold=2, breaker_cooldown_seconds=3)
    _control(platform, code=code, mode="fail")
    try:
        _author, pid, _ = forwarded_to(gateway, staff, [code])
        breaker = poll(lambda: (b := staff.get(f"/institutions/{code}/breaker").json())["open"] and b, 20,
                       "the circuit to open after two consecutive failures")
        assert breaker["failures"] == 2
        dossier = wait_status(staff, pid, code, "failed")
        assert dossier["attempts"] == 2  # no third attempt while the circuit is open
        _control(platform, code=code, mode="ok")
        done = wait_status(staff, pid, code, "acknowledged", 30)  # half-open after the cooldown: one try
    finally:
        _control(platform, code=code, reset=True)
    assert done["attempts"] == 3
    assert staff.get(f"/institutions/{code}/breaker").json() == {
        "institution_id": code, "failures": 0, "open": False, "open_until": None, "half_open": False,
        "threshold": 2}
    mails = poll(lambda: [m for m in read_mailbox(platform.maildir, to=staff.email)
                          if m["Subject"] == "Sprejem dosjejev pri instituciji ne deluje"], 20,
                 "the staff alert about the failing intake")
    assert code.upper() in mails[0].get_content()


def test_intake_slower_than_the_timeout_is_retried(platform, gateway):
    staff = staff_of(gateway)
    code = _webhook_institution(platform, staff)
    _control(platform, code=code, delay=4.0)  # the dispatch timeout is 3 s in the tests
    try:
        _author, pid, _ = forwarded_to(gateway, staff, [code])
        failed = poll(lambda: (d := dossier_of(staff, pid, code))["last_error"] and d, 20, "a timed-out attempt")
        assert "Timeout" in failed["last_error"]
        _control(platform, code=code, delay=0)
        done = wait_status(staff, pid, code, "acknowledged")
    finally:
        _control(platform, code=code, reset=True)
    assert done["attempts"] >= 2 and done["last_error"] is None


def test_rejected_signature_is_abandoned_then_fixed_and_retried_by_staff(platform, gateway):
    staff = staff_of(gateway, alerts=True)
    code = _webhook_institution(platform, staff, secret="a-wrong-shared-secret")
    _author, pid, _ = forwarded_to(gateway, staff, [code])
    abandoned = wait_status(staff, pid, code, "abandoned", 30)
    assert abandoned["attempts"] == 4 and "HTTP 401" in abandoned["last_error"]
    alert = poll(lambda: [m for m in read_mailbox(platform.maildir, to=staff.email)
                          if m["Subject"] == "Dosjeja ni bilo mogoče dostaviti"], 20, "the staff alert")
    assert "401" in alert[0].get_content()

    fixed = operator_of(staff).request("PATCH", f"/institutions/{code}", json={"secret": "dev-institution-secret"})
    assert fixed.status_code == 200 and "secret" not in fixed.json()
    assert staff.post(f"/dossiers/{abandoned['id']}/retry").status_code == 200
    done = wait_status(staff, pid, code, "acknowledged")
    assert done["attempts"] == 1
    steps = [s["step"] for s in done["timeline"]]
    assert steps.count("failed") == 3 and "abandoned" in steps and "retried" in steps and steps[-1] == "acknowledged"
