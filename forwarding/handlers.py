"""Use cases of the forwarding service."""
from __future__ import annotations

import logging
from datetime import timedelta

from forwarding import domain
from forwarding.dispatch import DeliveryFailed, deliver, wire_body
from forwarding.store import Dossier, Institution
from services import metrics
from services.auth import Caller
from services.db import Unit, atomically, utcnow
from services.errors import Conflict, Forbidden, NotFound
from services.events import SYSTEM, make_event, now_iso
from services.settings import get_settings

log = logging.getLogger(__name__)

# The national bodies competent for migrant integration (demo directory).
DEMO_INSTITUTIONS = [
    ("mddsz", {"sl": "Ministrstvo za delo, družino, socialne zadeve in enake možnosti",
               "en": "Ministry of Labour, Family, Social Affairs and Equal Opportunities"}, ["employment"], 30),
    ("mz", {"sl": "Ministrstvo za zdravje", "en": "Ministry of Health"}, ["health"], 30),
    ("mvi", {"sl": "Ministrstvo za vzgojo in izobraževanje", "en": "Ministry of Education"}, ["education"], 30),
    ("mspo", {"sl": "Ministrstvo za solidarno prihodnost", "en": "Ministry of Solidarity-Based Future"},
     ["housing"], 45),
    ("uoim", {"sl": "Urad Vlade RS za oskrbo in integracijo migrantov",
              "en": "Government Office for the Support and Integration of Migrants"}, ["inclusion"], 30),
]


def seed_demo() -> None:
    settings = get_settings()
    for code, name, themes, days in DEMO_INSTITUTIONS:
        Institution.objects(id=code).update_one(
            upsert=True, set__name=name, set__themes=themes, set__deadline_days=days,
            set__webhook_url=f"{settings.institution_url}/intake/{code}", set__secret=settings.institution_secret)


def on_conclusion_reached(event: dict) -> None:
    """Adopted conclusions beyond municipal competence become one dossier per competent institution."""
    conclusion = event["payload"]
    if not domain.needs_forwarding(conclusion["outcome"], conclusion["competence"]):
        atomically(lambda unit: None, consumer="forwarding.conclusions", cause=event)
        return
    routes = domain.route(conclusion["theme"], [i.as_route() for i in Institution.objects])
    if not routes:
        log.error("no institution is competent for theme %r (proposal %s)", conclusion["theme"],
                  conclusion["proposal_id"])

    def work(unit: Unit) -> None:
        for institution in routes:
            did = domain.dossier_id(conclusion["proposal_id"], institution["id"])
            document = domain.build_dossier(dossier_id=did, municipality=event["municipality"],
                                            conclusion=conclusion, institution=institution,
                                            prepared_at=now_iso())
            dossier = Dossier(id=did, municipality=event["municipality"], proposal_id=conclusion["proposal_id"],
                              institution_id=institution["id"], document=document,
                              digest=domain.digest(document))
            unit.insert(dossier)
            unit.emit(make_event("forwarding.dossier_prepared", municipality=dossier.municipality,
                                 aggregate_id=did, actor=SYSTEM, correlation_id=event["correlation_id"],
                                 causation_id=event["event_id"], payload={
                                     "dossier_id": did, "proposal_id": dossier.proposal_id,
                                     "institution_id": dossier.institution_id, "digest": dossier.digest}))

    atomically(work, consumer="forwarding.conclusions", cause=event)


def _claim() -> Dossier | None:
    """Lease one due dossier so that no other dispatcher sends it at the same time."""
    now = utcnow()
    lease = now + timedelta(seconds=get_settings().dispatch_timeout_seconds + 5)
    son = Dossier._get_collection().find_one_and_update(
        {"status": {"$in": [domain.PREPARED, domain.FAILED, domain.DISPATCHING]},
         "next_attempt_at": {"$lte": now},
         "$or": [{"lease_until": None}, {"lease_until": {"$lt": now}}]},
        {"$set": {"status": domain.DISPATCHING, "lease_until": lease}, "$inc": {"attempts": 1}},
        sort=[("next_attempt_at", 1)], return_document=True)
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
        receipt = deliver(institution.webhook_url, institution.secret, dossier.id,
                          wire_body(dossier.document, dossier.digest))
    except DeliveryFailed as exc:
        metrics.DISPATCHES.labels("failed").inc()
        _record_failure(dossier, str(exc))
        return True
    metrics.DISPATCHES.labels("acknowledged").inc()
    _record_acknowledgement(dossier, receipt)
    return True


def _event(dossier: Dossier, kind: str, **payload) -> dict:
    return make_event(kind, municipality=dossier.municipality, aggregate_id=dossier.id, actor=SYSTEM,
                      payload={"dossier_id": dossier.id, "proposal_id": dossier.proposal_id, **payload})


def _record_acknowledgement(dossier: Dossier, receipt: str) -> None:
    def work(unit: Unit) -> None:
        unit.update(Dossier, {"_id": dossier.id}, {"$set": {
            "status": domain.ACKNOWLEDGED, "receipt": receipt, "acknowledged_at": utcnow(),
            "lease_until": None, "last_error": None}})
        unit.emit(_event(dossier, "forwarding.dossier_dispatched", institution_id=dossier.institution_id,
                         attempt=dossier.attempts))
        unit.emit(_event(dossier, "forwarding.dossier_acknowledged", institution_id=dossier.institution_id,
                         receipt=receipt))

    atomically(work)


def _record_failure(dossier: Dossier, error: str) -> None:
    settings = get_settings()
    status = domain.after_failure(dossier.attempts, settings.dispatch_max_attempts)
    retry_at = utcnow() + timedelta(seconds=domain.backoff_seconds(dossier.attempts,
                                                                   settings.dispatch_backoff_seconds))
    log.warning("dispatch of %s to %s failed (attempt %d): %s", dossier.id, dossier.institution_id,
                dossier.attempts, error)

    def work(unit: Unit) -> None:
        unit.update(Dossier, {"_id": dossier.id}, {"$set": {
            "status": status, "last_error": error[:500], "lease_until": None, "next_attempt_at": retry_at}})
        if status == domain.ABANDONED:
            unit.emit(_event(dossier, "forwarding.dispatch_abandoned", attempts=dossier.attempts, error=error))
        else:
            unit.emit(_event(dossier, "forwarding.dispatch_failed", attempt=dossier.attempts, error=error,
                             retry_at=retry_at.isoformat()))

    atomically(work)


def list_dossiers(caller: Caller, proposal_id: str) -> list[Dossier]:
    return list(Dossier.objects(proposal_id=proposal_id, municipality=caller.municipality)
                .order_by("institution_id"))


def retry_dossier(caller: Caller, dossier_id: str) -> Dossier:
    """Staff send an abandoned dossier again (one click)."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff retry a dispatch.")
    dossier = Dossier.objects(id=dossier_id, municipality=caller.municipality).first()
    if dossier is None:
        raise NotFound("No such dossier.")
    if dossier.status != domain.ABANDONED:
        raise Conflict(f"The dossier is {dossier.status}, not abandoned.", code="wrong_state")
    Dossier.objects(id=dossier_id, status=domain.ABANDONED).update_one(
        set__status=domain.FAILED, set__attempts=0, set__next_attempt_at=utcnow())
    dossier.reload()
    return dossier


def list_institutions() -> list[Institution]:
    return list(Institution.objects.order_by("id"))


