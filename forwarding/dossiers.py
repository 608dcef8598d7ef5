"""Routing a conclusion to institutions, staff review, and building the signed dossier."""
from __future__ import annotations

from forwarding import clock, domain, facts, keys
from forwarding.store import Conclusion, Dossier, Institution, Policy
from services.auth import Caller
from services.db import Unit, atomically
from services.errors import Conflict, DomainError, Forbidden, NotFound
from services.events import SYSTEM, Actor, make_event


def dossier_event(dossier: Dossier, event_type: str, actor: Actor = SYSTEM, *, cause: dict | None = None,
                  **payload) -> dict:
    """An event about the dossier (caused by `cause`, when given: its correlation, and causation)."""
    ids = {"correlation_id": cause["correlation_id"], "causation_id": cause["event_id"]} if cause else {}
    return make_event(event_type, municipality=dossier.municipality, aggregate_id=dossier.id, actor=actor,
                      payload={"dossier_id": dossier.id, "proposal_id": dossier.proposal_id, **payload}, **ids)


def step(name: str, **extra) -> dict:
    """A timeline entry, stamped with the deadline clock."""
    return {"at": clock.now().isoformat(), "step": name, **extra}


def review_required(municipality: str) -> bool:
    policy = Policy.objects(id=municipality).first()
    return bool(policy and policy.review_required)


def build(dossier: Dossier, conclusion: Conclusion, institution: Institution, known: tuple | None = None,
          key=None) -> None:
    """Fill in the dossier's document, digest and Ed25519 signature (once, on approval); `known` is the
    proposal's facts and `key` the signing key when the caller read them already."""
    proposal, deliberation = known or facts.for_dossier(dossier.proposal_id)
    document = domain.build_document(
        dossier_id=dossier.id, municipality=dossier.municipality, conclusion=conclusion.data,
        institution=institution.as_route(), prepared_at=clock.now().isoformat(timespec="milliseconds"),
        proposal=proposal, deliberation=deliberation, justification=conclusion.justification,
        staff_note=conclusion.staff_note)
    dossier.document = document
    dossier.digest = domain.digest(document)
    dossier.key_id, dossier.signature = keys.sign(dossier.municipality, domain.canonical(document), key)
    dossier.channel = institution.channel
    dossier.status = domain.approved_status(institution.channel)
    dossier.timeline.append(step("prepared", digest=dossier.digest))


def prepared_event(dossier: Dossier, actor: Actor = SYSTEM, cause: dict | None = None) -> dict:
    return dossier_event(dossier, "forwarding.dossier_prepared", actor, cause=cause,
                         institution_id=dossier.institution_id, digest=dossier.digest)


def review(caller: Caller, proposal_id: str, data: dict) -> list[Dossier]:
    """Staff approve the routing, or override it: the final set of institutions, a note, a justification."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff review forwarding.")
    conclusion = Conclusion.objects(id=proposal_id, municipality=caller.municipality).first()
    if conclusion is None:
        raise NotFound("No forwarded conclusion for this proposal.")
    wanted = list(dict.fromkeys(data["institutions"]))
    directory = {i.id: i for i in Institution.objects(id__in=wanted)}
    unknown = [code for code in wanted if code not in directory]
    if unknown or not wanted:
        raise DomainError("Choose institutions from the directory.", errors={"json": {"institutions": [
            f"Unknown: {', '.join(unknown)}." if unknown else "Choose at least one institution."]}})
    existing = {d.institution_id: d for d in Dossier.objects(proposal_id=proposal_id)}
    unrouted = conclusion.routing == domain.NEEDS_ROUTING
    if not unrouted and not any(d.status == domain.AWAITING_REVIEW for d in existing.values()):
        raise Conflict("This conclusion is not waiting for review.", code="wrong_state")
    current = [code for code, d in existing.items() if d.status == domain.AWAITING_REVIEW]
    keep, add, cancel = domain.review_plan(current, wanted)
    add = [code for code in add if code not in existing or existing[code].status == domain.CANCELLED]
    conclusion.staff_note = data.get("note") or conclusion.staff_note
    conclusion.justification = data.get("justification") or conclusion.justification
    conclusion.reviewed_by = caller.id
    conclusion.routing = domain.ROUTED
    actor = Actor("staff", caller.id)

    def work(unit: Unit) -> None:
        if unrouted and unit.get(Conclusion, {"_id": proposal_id, "routing": domain.NEEDS_ROUTING}) is None:
            raise Conflict("This conclusion has just been reviewed.", code="wrong_state")
        unit.save(conclusion)
        for code in keep:  # two staff reviewing at once: the second finds nothing left to approve
            if unit.get(Dossier, {"_id": existing[code].id, "status": domain.AWAITING_REVIEW}) is None:
                raise Conflict("This conclusion has just been reviewed.", code="wrong_state")
        for code in keep + add:
            dossier = existing.get(code) or Dossier(
                id=domain.dossier_id(proposal_id, code), municipality=conclusion.municipality,
                proposal_id=proposal_id, institution_id=code, timeline=[step("added_by_staff")])
            build(dossier, conclusion, directory[code])
            dossier.timeline.append(step("approved", by=caller.id))
            unit.save(dossier)
            unit.emit(prepared_event(dossier, actor))
        for code in cancel:
            unit.change(Dossier, {"_id": existing[code].id}, {"$set": {"status": domain.CANCELLED},
                                                               "$push": {"timeline": step("cancelled", by=caller.id)}})

    atomically(work)
    return list(Dossier.objects(proposal_id=proposal_id).order_by("institution_id"))


def routing_of(caller: Caller, proposal_id: str) -> str | None:
    """Where the conclusion's routing stands: routed, needs_routing, or None (nothing forwarded)."""
    conclusion = Conclusion.objects(id=proposal_id, municipality=caller.municipality).only("routing").first()
    return (conclusion.routing or domain.ROUTED) if conclusion else None


def routing_queue(caller: Caller) -> list[Conclusion]:
    """The staff's review queue, oldest first: adopted conclusions that no institution covers, and those
    whose dossiers wait for review (the municipality's policy), each with the institutions proposed."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff see the routing queue.")
    proposed: dict[str, list[str]] = {}
    for dossier in Dossier.objects(municipality=caller.municipality, status=domain.AWAITING_REVIEW) \
            .only("proposal_id", "institution_id"):
        proposed.setdefault(dossier.proposal_id, []).append(dossier.institution_id)
    found = list(Conclusion.objects(municipality=caller.municipality, __raw__={"$or": [
        {"routing": domain.NEEDS_ROUTING}, {"_id": {"$in": list(proposed)}}]}).order_by("reached_at"))
    for conclusion in found:  # in memory only, for the answer
        conclusion.proposed = sorted(proposed.get(conclusion.id, []))
    return found


def set_policy(caller: Caller, review_required_: bool) -> dict:
    if caller.role != "staff":
        raise Forbidden("Only municipal staff set the forwarding policy.")
    Policy.objects(id=caller.municipality).update_one(upsert=True, set__review_required=review_required_)
    return get_policy(caller)


def get_policy(caller: Caller) -> dict:
    return {"municipality": caller.municipality, "review_required": review_required(caller.municipality)}
