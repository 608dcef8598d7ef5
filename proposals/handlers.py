"""Use cases of the proposals service: load, decide (domain), save with outbox."""
from __future__ import annotations

import nh3

from proposals import domain
from proposals.store import Process, Proposal
from services.auth import Caller
from services.db import Unit, atomically, utcnow
from services.errors import Forbidden, NotFound
from services.events import Actor, make_event

DEMO_PROCESS = {
    "id": "idrija-vkljucujoca",
    "municipality": "idrija",
    "title": {"sl": "Načrt za vključujočo Idrijo", "en": "Plan for an inclusive Idrija"},
    "themes": domain.DEFAULT_THEMES,
}


def _actor(caller: Caller) -> Actor:
    return Actor(caller.role, caller.id)


def _process(process_id: str, municipality: str) -> Process:
    process = Process.objects(id=process_id, municipality=municipality).first()
    if process is None:
        raise NotFound("No such process in your municipality.", errors={
            "json": {"process_id": ["Unknown process."]}})
    return process


def submit_proposal(caller: Caller, data: dict) -> Proposal:
    """A resident (or staff) submits a proposal; it waits for moderation."""
    if caller.role not in ("resident", "staff"):
        raise Forbidden("Only residents and staff submit proposals.")
    process = _process(data["process_id"], caller.municipality)
    domain.check_theme(data["theme"], list(process.themes))
    proposal = Proposal(municipality=caller.municipality, author_id=caller.id,
                        body=nh3.clean(data.get("body") or "", tags=set()),
                        **{k: data[k] for k in ("process_id", "title", "summary", "theme", "language")})

    def work(unit: Unit) -> Proposal:
        unit.insert(proposal)
        unit.emit(make_event("proposals.proposal_submitted", municipality=proposal.municipality,
                             aggregate_id=proposal.id, actor=_actor(caller), payload={
                                 "proposal_id": proposal.id, "process_id": proposal.process_id,
                                 "title": proposal.title, "summary": proposal.summary,
                                 "theme": proposal.theme, "language": proposal.language,
                                 "author_id": proposal.author_id}))
        return proposal

    return atomically(work)


def get_proposal(caller: Caller, proposal_id: str) -> Proposal:
    proposal = Proposal.objects(id=proposal_id, municipality=caller.municipality).first()
    if proposal is None or not domain.visible_to(proposal.status, proposal.author_id, caller.id, caller.role):
        raise NotFound("No such proposal.")
    return proposal


def list_proposals(caller: Caller, args: dict) -> dict:
    query = Proposal.objects(municipality=caller.municipality)
    status = args.get("status")
    if caller.role != "staff":
        status = domain.PUBLISHED if status in (None, domain.PUBLISHED) else "__none__"
    if status:
        query = query(status=status)
    if args.get("theme"):
        query = query(theme=args["theme"])
    page, per_page = args["page"], args["per_page"]
    items = list(query.order_by("-created_at", "-id").skip((page - 1) * per_page).limit(per_page))
    return {"items": items, "page": page, "per_page": per_page, "total": query.count()}


def moderate_proposal(caller: Caller, proposal_id: str, data: dict) -> Proposal:
    """Staff approve (with competence) or reject (with a reason) a pending proposal."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff moderate proposals.")

    def work(unit: Unit) -> Proposal:
        proposal = unit.get(Proposal, {"_id": proposal_id, "municipality": caller.municipality})
        if proposal is None:
            raise NotFound("No such proposal.")
        status = domain.moderate(proposal.status, data["decision"], caller.role,
                                 data.get("reason"), data.get("competence"))
        change = {"status": status, "decided_at": utcnow()}
        if status == domain.PUBLISHED:
            change["competence"] = data["competence"]
        else:
            change["rejection_reason"] = data["reason"].strip()
        proposal = unit.update(Proposal, {"_id": proposal.id, "status": domain.PENDING}, {"$set": change})
        if status == domain.PUBLISHED:
            kind, payload = "proposals.proposal_published", {
                "proposal_id": proposal.id, "process_id": proposal.process_id, "title": proposal.title,
                "theme": proposal.theme, "competence": proposal.competence, "author_id": proposal.author_id}
        else:
            kind, payload = "proposals.proposal_rejected", {
                "proposal_id": proposal.id, "title": proposal.title,
                "reason": proposal.rejection_reason, "author_id": proposal.author_id}
        unit.emit(make_event(kind, municipality=proposal.municipality, aggregate_id=proposal.id,
                             actor=_actor(caller), payload=payload))
        return proposal

    return atomically(work)


def list_processes(caller: Caller) -> list[Process]:
    return list(Process.objects(municipality=caller.municipality).order_by("id"))


def seed_demo() -> None:
    """The demo municipality's process (idempotent)."""
    Process.objects(id=DEMO_PROCESS["id"]).update_one(upsert=True, **{
        f"set__{k}": v for k, v in DEMO_PROCESS.items() if k != "id"})
