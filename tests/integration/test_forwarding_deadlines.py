"""Reply deadlines on the controllable clock: a reminder before and on the due day, overdue,
escalation, each exactly once; and the tracker's figures."""
from __future__ import annotations

import pytest

import uuid
from datetime import datetime, timedelta

from services.local.smtp_server import read_mailbox
from tests.support import (
    advance_clock,
    dossier_of,
    forwarded_to,
    operator_of,
    poll,
    staff_of,
    wait_status,
)

DAY = 86400.0


def _to(staff, when: datetime) -> float:
    """Advance the clock to `when`; return the seconds advanced."""
    now = datetime.fromisoformat(advance_clock(staff, 0)["now"])
    seconds = max(0.0, (when - now).total_seconds())
    advance_clock(staff, seconds)
    return seconds


def _steps(staff, pid, code):
    return [s["step"] for s in dossier_of(staff, pid, code)["timeline"]]


def _mails(platform, to, subject):
    return [m for m in read_mailbox(platform.maildir, to=to) if m["Subject"] == subject]


@pytest.mark.moves_clock
def test_reminders_overdue_and_escalation_fire_once_each_and_the_tracker_counts(platform, gateway):
    staff = staff_of(gateway)
    code = f"d-{uuid.uuid4().hex[:8]}"
    contact, overseer = f"pisarna-{code}@gov.si", f"nadzor-{code}@gov.si"
    created = operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": "webhook",
        "webhook_url": f"{platform.url('institution')}/intake/{code}", "secret": "dev-institution-secret",
        "deadline_days": 10, "contacts": [{"name": "Pisarna", "email": contact}], "escalation_to": overseer})
    assert created.status_code == 201, created.text
    author, pid, _ = forwarded_to(gateway, staff, [code])
    dossier = wait_status(staff, pid, code, "acknowledged")
    due = datetime.fromisoformat(dossier["due_at"])
    dispatched = datetime.fromisoformat(dossier["dispatched_at"])
    assert timedelta(days=10) - (due - dispatched) < timedelta(seconds=5)
    advanced = 0.0

    advanced += _to(staff, due - timedelta(days=3))
    poll(lambda: "reminder_before" in _steps(staff, pid, code), 10, "the reminder before the due day")
    advanced += _to(staff, due - timedelta(hours=12))
    poll(lambda: "reminder_due_day" in _steps(staff, pid, code), 10, "the reminder on the due day")
    advanced += _to(staff, due + timedelta(hours=1))
    poll(lambda: "overdue" in _steps(staff, pid, code), 10, "reply_overdue")
    overdue = next(i for i in staff.get("/tracker").json()["institutions"] if i["institution_id"] == code)
    assert overdue["overdue"] == 1 and overdue["replied"] == 0 and overdue["average_days_to_reply"] is None
    advanced += _to(staff, due + timedelta(days=15))
    poll(lambda: "escalated" in _steps(staff, pid, code), 10, "the escalation")

    reminders = poll(lambda: len(m := _mails(platform, contact, "Opomnik: rok za odgovor na dosje se izteka")) >= 2
                     and m, 30, "two reminders to the institution's contact")
    escalation = poll(lambda: _mails(platform, overseer, "Stopnjevanje: rok za odgovor je potekel"), 30,
                      "the escalation mail")
    assert code.upper() in escalation[0].get_content()

    recorded = staff.post(f"/dossiers/{dossier['id']}/replies", json={"status": "accepted", "text": "Sprejeto."})
    assert recorded.status_code == 201, recorded.text
    poll(lambda: _mails(platform, author.email, "The institution replied to your proposal"), 30,
         "the author's notification")  # the deadline job has run many times meanwhile
    steps = _steps(staff, pid, code)
    for name in ("reminder_before", "reminder_due_day", "overdue", "escalated"):
        assert steps.count(name) == 1, (name, steps)
    assert len(_mails(platform, contact, reminders[0]["Subject"])) == 2
    assert len(_mails(platform, overseer, escalation[0]["Subject"])) == 1

    tracker = staff.get("/tracker").json()
    figures = next(i for i in tracker["institutions"] if i["institution_id"] == code)
    assert figures["forwarded"] == 1 and figures["replied"] == 1 and figures["overdue"] == 0
    assert abs(figures["average_days_to_reply"] - advanced / DAY) < 0.01, (figures, advanced / DAY)
    entry = next(c for c in tracker["conclusions"] if c["proposal_id"] == pid)
    timeline = next(d for d in entry["dossiers"] if d["institution_id"] == code)["timeline"]
    assert [s["step"] for s in timeline][-6:] == ["acknowledged", "reminder_before", "reminder_due_day",
                                                   "overdue", "escalated", "replied"]
    assert advance_clock(staff, 0)["offset_seconds"] >= advanced
