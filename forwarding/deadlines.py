"""Reply deadlines: reminders before and on the due day, overdue, escalation; each announced once."""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from forwarding import clock, domain
from forwarding.dossiers import dossier_event, step
from forwarding.store import Dossier, Institution
from services import metrics
from services.db import Unit, atomically
from services.settings import get_settings

log = logging.getLogger(__name__)
EVENTS = {"reminder_before": "forwarding.reply_reminder_sent", "reminder_due_day": "forwarding.reply_reminder_sent",
          "overdue": "forwarding.reply_overdue", "escalated": "forwarding.reply_escalated"}


def _recipients(institution: Institution | None) -> list[str]:
    if institution is None:
        return []
    found = [institution.email] + [c.get("email") for c in institution.contacts]
    return sorted({e for e in found if e})


def _escalation(institution: Institution | None) -> tuple[str | None, list[str]]:
    target = institution.escalation_to if institution else None
    if not target:
        return None, []
    if "@" in target:
        return target, [target]
    return target, _recipients(Institution.objects(id=target).first())


def overdue_replies() -> int:
    """Dossiers dispatched and still awaiting the institution's reply after their deadline."""
    return Dossier.objects(status__in=domain.AWAITING_REPLY, due_at__lt=clock.now()).count()


_next_gauge = 0.0


def check_deadlines() -> bool:
    """Announce every deadline step now due; False when there was nothing to do."""
    global _next_gauge
    settings = get_settings()
    if time.monotonic() >= _next_gauge:  # the overdue gauge, every 10 s rather than every round
        metrics.REPLIES_OVERDUE.set(overdue_replies())
        _next_gauge = time.monotonic() + 10
    now = clock.now()
    horizon = now + timedelta(days=settings.reminder_days_before)
    busy, seen = False, {}  # the institutions of this round, each read once
    for dossier in Dossier.objects(status__in=domain.AWAITING_REPLY, due_at__lte=horizon, fired__ne="escalated") \
            .only("id", "municipality", "proposal_id", "institution_id", "due_at", "fired").limit(200):
        if dossier.institution_id not in seen:
            institution = Institution.objects(id=dossier.institution_id).first()
            seen[dossier.institution_id] = (institution, *_escalation(institution))
        institution, target, escalate_to = seen[dossier.institution_id]
        steps = domain.due_steps(now, dossier.due_at, list(dossier.fired),
                                 remind_days_before=settings.reminder_days_before,
                                 escalate_after_days=settings.escalation_days, can_escalate=bool(target))
        if steps:
            busy = True
            try:
                _announce(dossier, steps, institution, target, escalate_to)
            except Exception:
                log.exception("deadline steps %s of dossier %s failed", steps, dossier.id)
    return busy


def _announce(dossier: Dossier, steps: list[str], institution, target, escalate_to) -> None:
    due = dossier.due_at.isoformat()
    common = {"institution_id": dossier.institution_id, "due_at": due}

    def work(unit: Unit) -> None:
        for name in steps:
            # The condition makes each step fire once, however many workers look at the dossier.
            done = unit.change(Dossier, {"_id": dossier.id, "fired": {"$ne": name},
                                         "status": {"$in": list(domain.AWAITING_REPLY)}},
                               {"$push": {"fired": name, "timeline": step(name)}})
            if not done:
                continue
            if name.startswith("reminder"):
                payload = {**common, "kind": "before" if name == "reminder_before" else "due_day",
                           "recipients": _recipients(institution)}
            elif name == "escalated":
                payload = {**common, "escalated_to": target, "recipients": escalate_to}
            else:
                payload = common
            unit.emit(dossier_event(dossier, EVENTS[name], **payload))

    atomically(work)
