"""Delivering approved dossiers: webhook, e-mail or manual; retries, circuit breaker, abandonment."""
from __future__ import annotations

import json
import logging
import smtplib
import time
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate

from forwarding import clock, domain, pdf
from forwarding.dispatch import DeliveryFailed, deliver
from forwarding.dossiers import dossier_event, step
from forwarding.store import Breaker, Dossier, Institution
from services import metrics
from services.auth import Caller
from services.claims import Candidates
from services.db import Unit, atomically, utcnow
from services.errors import Conflict, Forbidden, NotFound
from services.events import SYSTEM, Actor, make_event
from services.settings import get_settings

log = logging.getLogger(__name__)


def wire_body(dossier: Dossier) -> bytes:
    """What the webhook receives: the dossier, its digest and its Ed25519 signature."""
    return json.dumps({"dossier": dossier.document, "digest": dossier.digest,
                       "signature": {"alg": "Ed25519", "key_id": dossier.key_id, "value": dossier.signature}},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def portal_link(dossier_id: str) -> str:
    """The signed link of the dossier mail: the institution portal's page of the dossier (the same path
    under /api/v1 answers the JSON)."""
    token = domain.link_token(get_settings().service_secret, dossier_id)
    return f"{get_settings().gateway_url}/portal/dossiers/{dossier_id}?token={token}"


class _Circuits:
    """The open circuits as this process last read them: read at most once a second rather than at
    each claim (an empty claim then costs one command, not two); a circuit this process opens is seen
    at once, one another process opens within the second."""

    FRESH_FOR = 1.0
    read_at, open_until = float("-inf"), {}

    @classmethod
    def blocked(cls, now) -> list[str]:
        if time.monotonic() - cls.read_at > cls.FRESH_FOR:
            cls.open_until = {b.id: b.open_until for b in Breaker.objects(open_until__gt=now).only("id", "open_until")}
            cls.read_at = time.monotonic()
        return [institution for institution, until in cls.open_until.items() if until > now]

    @classmethod
    def changed(cls) -> None:
        cls.read_at = float("-inf")


def _open_circuits(now) -> list[str]:
    return _Circuits.blocked(now)


DUE = Candidates(Dossier._get_collection)  # the dispatcher threads' next dossiers (services.claims)


def _dispatchable() -> tuple[dict, dict]:
    """Due dossiers (not behind an open circuit), and the lease that keeps a claimed one to one sender."""
    now = utcnow()
    lease = now + timedelta(seconds=get_settings().dispatch_timeout_seconds + 5)
    query = {"status": {"$in": [domain.PREPARED, domain.FAILED, domain.DISPATCHING]},
             "next_attempt_at": {"$lte": now},
             # no lease, or an expired one; not a top-level $or, which kept the local database server
             # from its (status, next_attempt_at) index: each claim read every dossier, 6 ms instead of 0.6
             "lease_until": {"$not": {"$gte": now}}}
    blocked = _open_circuits(now)
    metrics.BREAKERS_OPEN.set(len(blocked))
    if blocked:
        query["institution_id"] = {"$nin": blocked}
    return query, {"$set": {"status": domain.DISPATCHING, "lease_until": lease}, "$inc": {"attempts": 1}}


def _claim() -> Dossier | None:
    """Lease one due dossier, oldest first, so no other dispatcher sends it at once."""
    son = DUE.claim(_dispatchable, sort=[("next_attempt_at", 1)])
    return Dossier._from_son(son) if son else None


def dispatch_due() -> bool:
    """Send one due dossier; True if there was one (the job loop then goes on at once)."""
    dossier = _claim()
    if dossier is None:
        return False
    institution = Institution.objects(id=dossier.institution_id).first()
    try:
        if institution is None:
            raise DeliveryFailed(f"institution {dossier.institution_id} is not in the directory")
        if dossier.channel == "email":
            send_email(dossier, institution)
            receipt = None
        else:
            receipt = deliver(institution.webhook_url, institution.secret, dossier.id, wire_body(dossier))
    except DeliveryFailed as exc:
        metrics.DISPATCHES.labels("failed").inc()
        _record_failure(dossier, institution, str(exc))
        return True
    metrics.DISPATCHES.labels("acknowledged" if receipt else "sent").inc()
    _record_success(dossier, institution, receipt)
    return True


def send_email(dossier: Dossier, institution: Institution) -> None:
    """The official e-mail: PDF and JSON attached, a signed link to acknowledge and reply."""
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = institution.email
    message["Subject"] = f"Dosje / Dossier {dossier.id}: {dossier.document['proposal']['title']}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<dossier.{dossier.id}@civic.local>"  # a resend is the same message
    message.set_content(
        f"Spoštovani,\n\nobčina {dossier.municipality} vam posreduje sklep prebivalcev v priloženem dosjeju.\n"
        f"Prejem potrdite in odgovorite na povezavi:\n{portal_link(dossier.id)}\n\n"
        f"Dear colleagues,\n\nthe municipality of {dossier.municipality} forwards a residents' conclusion "
        f"in the attached dossier. Acknowledge and reply at the link above.\n\n"
        f"SHA-256: {dossier.digest}\nEd25519 ({dossier.key_id}): {dossier.signature}\n")
    message.add_attachment(pdf.render(dossier.document, dossier.digest, dossier.key_id, dossier.signature),
                           maintype="application", subtype="pdf", filename=f"dossier-{dossier.id}.pdf")
    message.add_attachment(wire_body(dossier), maintype="application", subtype="json",
                           filename=f"dossier-{dossier.id}.json")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                          timeout=settings.dispatch_timeout_seconds) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"SMTP: {exc}") from exc


def _due(institution: Institution | None):
    return clock.now() + timedelta(days=institution.deadline_days if institution else 30)


def _record_success(dossier: Dossier, institution: Institution | None, receipt: str | None) -> None:
    now = clock.now()
    tripped = Breaker.objects(id=dossier.institution_id, failures__gt=0).first() is not None

    def work(unit: Unit) -> None:
        change = {"lease_until": None, "last_error": None, "dispatched_at": now, "due_at": _due(institution)}
        steps = [step("dispatched", channel=dossier.channel, attempt=dossier.attempts)]
        if receipt:
            change.update(status=domain.ACKNOWLEDGED, receipt=receipt, acknowledged_at=now)
            steps.append(step("acknowledged", via="webhook", receipt=receipt))
        else:
            change.update(status=domain.SENT)
        unit.change(Dossier, {"_id": dossier.id}, {"$set": change, "$push": {"timeline": {"$each": steps}}})
        if tripped:  # only then: every success writing the breaker would make all sends conflict
            unit.change(Breaker, {"_id": dossier.institution_id}, {"$set": {"failures": 0, "open_until": None}})
        unit.emit(dossier_event(dossier, "forwarding.dossier_dispatched", institution_id=dossier.institution_id,
                                attempt=dossier.attempts))
        if receipt:
            unit.emit(dossier_event(dossier, "forwarding.dossier_acknowledged",
                                    institution_id=dossier.institution_id, receipt=receipt))

    atomically(work)
    if tripped:
        _Circuits.changed()  # closed again


def _record_failure(dossier: Dossier, institution: Institution | None, error: str) -> None:
    settings = get_settings()
    status = domain.after_failure(dossier.attempts, settings.dispatch_max_attempts)
    retry_at = utcnow() + timedelta(seconds=domain.backoff_seconds(dossier.attempts,
                                                                   settings.dispatch_backoff_seconds))
    threshold = (institution.breaker_threshold if institution and institution.breaker_threshold
                 else settings.breaker_threshold)
    cooldown = (institution.breaker_cooldown_seconds if institution and institution.breaker_cooldown_seconds
                else settings.breaker_cooldown_seconds)
    log.warning("dispatch of %s to %s failed (attempt %d): %s", dossier.id, dossier.institution_id,
                dossier.attempts, error)

    def work(unit: Unit) -> None:
        unit.change(Dossier, {"_id": dossier.id}, {
            "$set": {"status": status, "last_error": error[:500], "lease_until": None, "next_attempt_at": retry_at},
            "$push": {"timeline": step("abandoned" if status == domain.ABANDONED else "failed",
                                       attempt=dossier.attempts, error=error[:200])}})
        breaker = unit.update(Breaker, {"_id": dossier.institution_id}, {"$inc": {"failures": 1}}, upsert=True)
        now = utcnow()
        already_open = breaker.open_until is not None and breaker.open_until > now
        if breaker.failures >= threshold and not already_open:
            open_until = now + timedelta(seconds=cooldown)
            unit.change(Breaker, {"_id": breaker.id}, {"$set": {"open_until": open_until}})
            unit.emit(_circuit_event(dossier, breaker.failures, open_until))
        if status == domain.ABANDONED:
            unit.emit(dossier_event(dossier, "forwarding.dispatch_abandoned", attempts=dossier.attempts, error=error))
        else:
            unit.emit(dossier_event(dossier, "forwarding.dispatch_failed", attempt=dossier.attempts, error=error,
                                    retry_at=retry_at.isoformat()))

    atomically(work)
    _Circuits.changed()  # a circuit opened here holds back the next claim at once


def _circuit_event(dossier: Dossier, failures: int, open_until) -> dict:
    return make_event("forwarding.circuit_opened", municipality=dossier.municipality,
                      aggregate_id=dossier.institution_id, actor=SYSTEM, payload={
                          "institution_id": dossier.institution_id, "failures": failures,
                          "open_until": open_until.isoformat()})


def delivery_figures() -> dict:
    """For the operations view: dossiers failing (retrying) or abandoned, and open breakers."""
    return {"dispatches_failing": Dossier.objects(status=domain.FAILED).count(),
            "dispatches_abandoned": Dossier.objects(status=domain.ABANDONED).count(),
            "breakers_open": sorted(_open_circuits(utcnow()))}


def breaker_state(code: str) -> dict:
    """Closed (sending), open until its cooldown ends, or half-open: the cooldown is over and the next
    attempt is the trial that closes it again or reopens it."""
    breaker = Breaker.objects(id=code).first()
    institution = Institution.objects(id=code).only("breaker_threshold").first()
    threshold = (institution.breaker_threshold if institution and institution.breaker_threshold
                 else get_settings().breaker_threshold)
    now = utcnow()
    failures = breaker.failures if breaker else 0
    open_ = bool(breaker and breaker.open_until and breaker.open_until > now)
    return {"institution_id": code, "failures": failures, "open": open_,
            "open_until": breaker.open_until if open_ else None,
            "half_open": bool(not open_ and breaker and breaker.open_until and failures >= threshold),
            "threshold": threshold}


def _staff_dossier(caller: Caller, dossier_id: str, what: str) -> Dossier:
    if caller.role != "staff":
        raise Forbidden(f"Only municipal staff {what}.")
    dossier = Dossier.objects(id=dossier_id, municipality=caller.municipality).first()
    if dossier is None:
        raise NotFound("No such dossier.")
    return dossier


def retry_dossier(caller: Caller, dossier_id: str) -> Dossier:
    """Staff send an abandoned dossier again (one click)."""
    dossier = _staff_dossier(caller, dossier_id, "retry a dispatch")
    if dossier.status != domain.ABANDONED:
        raise Conflict(f"The dossier is {dossier.status}, not abandoned.", code="wrong_state")
    Dossier.objects(id=dossier_id, status=domain.ABANDONED).update_one(
        set__status=domain.FAILED, set__attempts=0, set__next_attempt_at=utcnow(),
        push__timeline=step("retried", by=caller.id))
    dossier.reload()
    return dossier


def mark_sent(caller: Caller, dossier_id: str, note: str | None) -> Dossier:
    """Manual channel: staff downloaded the dossier and sent it by post or by hand."""
    dossier = _staff_dossier(caller, dossier_id, "mark a dossier sent")
    institution = Institution.objects(id=dossier.institution_id).first()
    now = clock.now()

    def work(unit: Unit) -> None:
        done = unit.update(Dossier, {"_id": dossier_id, "status": domain.AWAITING_MANUAL}, {
            "$set": {"status": domain.SENT, "dispatched_at": now, "due_at": _due(institution), "attempts": 1},
            "$push": {"timeline": step("dispatched", channel="manual", by=caller.id, note=note)}})
        if done is None:
            raise Conflict(f"The dossier is {dossier.status}, not waiting to be sent by hand.", code="wrong_state")
        unit.emit(dossier_event(done, "forwarding.dossier_dispatched", Actor("staff", caller.id),
                                institution_id=done.institution_id, attempt=1))

    atomically(work)
    dossier.reload()
    return dossier


def document_of(caller: Caller, dossier_id: str) -> Dossier:
    """A built dossier for staff of its municipality."""
    dossier = _staff_dossier(caller, dossier_id, "download dossiers")
    if dossier.document is None:
        raise Conflict("The dossier is not built yet: it waits for review.", code="wrong_state")
    return dossier


def pdf_of(dossier: Dossier) -> bytes:
    return pdf.render(dossier.document, dossier.digest, dossier.key_id, dossier.signature)
