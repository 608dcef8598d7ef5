"""Institutions acknowledge and reply (signed link, API key or account); staff record postal replies."""
from __future__ import annotations

import hmac
import uuid

from forwarding import attachments as files
from forwarding import clock, domain, institutions
from forwarding.dossiers import dossier_event, step
from forwarding.reply_translations import languages_of
from forwarding.store import Dossier, Institution
from services.auth import Caller
from services.db import Unit, atomically
from services.errors import Conflict, Forbidden, NotFound
from services.events import Actor
from services.settings import get_settings


def authorise(dossier_id: str, caller: Caller, token: str | None, api_key: str | None) -> tuple[Dossier, str, Actor]:
    """The dossier and how the institution proved who it is: "link", "api_key" or "account"."""
    dossier = Dossier.objects(id=dossier_id).first()
    if dossier is None:
        raise NotFound("No such dossier.")
    if token:
        expected = domain.link_token(get_settings().service_secret, dossier_id)
        if hmac.compare_digest(expected, token):
            return dossier, "link", Actor("institution", dossier.institution_id)
        raise Forbidden("The link is not valid for this dossier.", code="bad_link")
    if api_key:
        found = institutions.by_api_key(api_key)
        if found is not None and found.id == dossier.institution_id:
            return dossier, "api_key", Actor("institution", found.id)
        raise Forbidden("The API key does not belong to this dossier's institution.")
    if caller.role == "institution":
        institution = Institution.objects(id=dossier.institution_id).first()
        if institution and caller.id in institution.account_ids:
            return dossier, "account", Actor("institution", caller.id)
    raise Forbidden("Open the signed link, send the institution's API key, or sign in as the institution.")


def portal_view(dossier: Dossier) -> Dossier:
    if dossier.document is None:
        raise NotFound("No such dossier.")
    return dossier


def _acknowledge_in(unit: Unit, dossier: Dossier, via: str, actor: Actor) -> str | None:
    """Acknowledge a sent dossier within `unit`; returns the new receipt (None if it was already)."""
    receipt = f"{via.upper()}-{uuid.uuid4().hex[:12]}"
    done = unit.change(Dossier, {"_id": dossier.id, "status": {"$in": [domain.SENT, domain.DISPATCHING,
                                                                        domain.FAILED]}},
                       {"$set": {"status": domain.ACKNOWLEDGED, "receipt": receipt,
                                 "acknowledged_at": clock.now(), "lease_until": None},
                        "$push": {"timeline": step("acknowledged", via=via)}})
    if not done:
        return None
    unit.emit(dossier_event(dossier, "forwarding.dossier_acknowledged", actor,
                            institution_id=dossier.institution_id, receipt=receipt))
    return receipt


def acknowledge(dossier: Dossier, via: str, actor: Actor) -> Dossier:
    if dossier.status not in (domain.SENT, domain.DISPATCHING, domain.FAILED, domain.ACKNOWLEDGED, domain.REPLIED):
        raise Conflict(f"The dossier is {dossier.status}: there is nothing to acknowledge yet.", code="wrong_state")
    atomically(lambda unit: _acknowledge_in(unit, dossier, via, actor))
    dossier.reload()
    return dossier


def reply(dossier: Dossier, via: str, actor: Actor, data: dict) -> Dossier:
    """Record the institution's answer once; it is published on the proposal and notified."""
    attachments = data.get("attachments") or []
    domain.check_reply(data["status"], data["text"], attachments, data.get("forwarded_to"))
    if dossier.status not in (domain.SENT, domain.ACKNOWLEDGED, domain.DISPATCHING, domain.FAILED):
        code = "duplicate" if dossier.status == domain.REPLIED else "wrong_state"
        raise Conflict(f"The dossier is {dossier.status}: it cannot take a reply.", code=code)
    kept = files.store(attachments)  # every file is checked before any is kept
    answer = {"status": data["status"], "text": data["text"], "summary": (data.get("summary") or "").strip() or None,
              "forwarded_to": data.get("forwarded_to"), "attachments": kept, "via": via, "by": actor.id,
              "at": clock.now().isoformat()}

    def work(unit: Unit) -> None:
        _acknowledge_in(unit, dossier, via, actor)
        done = unit.change(Dossier, {"_id": dossier.id, "status": domain.ACKNOWLEDGED}, {
            "$set": {"status": domain.REPLIED, "reply": answer, "replied_at": clock.now()},
            "$push": {"timeline": step("replied", via=via, status=data["status"])}})
        if not done:
            raise Conflict("The dossier already has a reply.", code="duplicate")
        unit.emit(dossier_event(dossier, "forwarding.institution_replied", actor,
                                institution_id=dossier.institution_id, status=data["status"], text=data["text"],
                                via=via, forwarded_to=data.get("forwarded_to"), summary=answer["summary"]))

    atomically(work)
    dossier.reload()
    return dossier


def postal_reply(caller: Caller, dossier_id: str, data: dict) -> Dossier:
    """Staff record a reply that came by post."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff record postal replies.")
    dossier = Dossier.objects(id=dossier_id, municipality=caller.municipality).first()
    if dossier is None:
        raise NotFound("No such dossier.")
    return reply(dossier, "post", Actor("staff", caller.id), data)


def published_replies(proposal_id: str) -> dict:
    """The institutions' answers on a proposal, as anyone may read them."""
    names = {i.id: i.name for i in Institution.objects}
    replies = []
    for dossier in Dossier.objects(proposal_id=proposal_id, status=domain.REPLIED).order_by("replied_at"):
        answer = dossier.reply
        replies.append({"dossier_id": dossier.id, "institution_id": dossier.institution_id,
                        "institution_name": names.get(dossier.institution_id, {}), "status": answer["status"],
                        "text": answer["text"], "forwarded_to": answer.get("forwarded_to"), "via": answer["via"],
                        "replied_at": dossier.replied_at, "summary": answer.get("summary"),
                        "language": languages_of(dossier.municipality)[0],
                        "translations": answer.get("translations") or {},
                        "attachments": [{k: a[k] for k in ("filename", "content_type", "size", "sha256")}
                                        for a in answer.get("attachments", [])]})
    return {"proposal_id": proposal_id, "replies": replies}


def attachment(proposal_id: str, dossier_id: str, number: int) -> tuple[dict, bytes]:
    """A published reply's attachment (its record and bytes), as anyone may download it."""
    dossier = Dossier.objects(id=dossier_id, proposal_id=proposal_id, status=domain.REPLIED).first()
    items = ((dossier.reply or {}).get("attachments") or []) if dossier else []
    if not 0 <= number < len(items):
        raise NotFound("No such attachment.")
    raw = files.content_of(items[number])
    if raw is None:
        raise NotFound("The attachment's content is not available.")
    return items[number], raw
