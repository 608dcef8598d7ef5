"""The moderation desk: decisions, reports and auto-hide, duplicates, bulk actions."""
from __future__ import annotations

from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from proposals import domain
from proposals.common import audit, emit, is_blocked, load, settings_of
from proposals.handlers import present
from proposals.store import Proposal, Report, VerifiedResident
from services.auth import Caller
from services.db import Unit, atomically, utcnow
from services.errors import Conflict, DomainError, Forbidden, NotFound
from services.limits import Limit
from services.settings import get_settings

REPORTS = Limit("reports", lambda: get_settings().reports_per_hour, lambda: timedelta(hours=1),
                "You have sent many reports in the last hour; try again later.")


def _decide(unit: Unit, caller: Caller, proposal: Proposal, decision: str, data: dict,
            require_justification: bool) -> Proposal:
    """Apply one staff decision to a loaded proposal: new state, event, audit entry."""
    before = proposal.status
    target = domain.transition(decision, before, caller.role)
    reason = None
    if decision == "approve":
        competence = data.get("competence") or (proposal.default_competence if data.get("bulk") else None)
        domain.check_competence(competence, proposal.default_competence, data.get("justification"),
                                require_justification)
        proposal.competence = competence
        proposal.competence_justification = (data.get("justification") or "").strip() or None
        reason = proposal.competence_justification
        kind, payload = "proposals.proposal_published", {
            "proposal_id": proposal.id, "process_id": proposal.process_id, "title": proposal.title,
            "theme": proposal.theme, "competence": competence, "author_id": proposal.author_id}
    elif decision == "reject":
        reason = domain.rejection_reason(data.get("reason_code"), data.get("reason"))
        proposal.rejection_reason, proposal.reason_code = reason, data.get("reason_code")
        kind, payload = "proposals.proposal_rejected", {
            "proposal_id": proposal.id, "title": proposal.title, "reason": reason, "author_id": proposal.author_id}
    elif decision == "request_changes":
        reason = (data.get("note") or data.get("reason") or "").strip()
        if not reason:
            raise DomainError("Tell the author what to change.", errors={"json": {"note": ["A note is required."]}})
        proposal.moderator_note = reason
        kind, payload = "proposals.changes_requested", {
            "proposal_id": proposal.id, "title": proposal.title, "note": reason, "author_id": proposal.author_id}
    elif decision == "hide":
        reason = domain.rejection_reason(data.get("reason_code"), data.get("reason"))
        proposal.hidden_reason = reason
        kind, payload = "proposals.proposal_hidden", {
            "proposal_id": proposal.id, "title": proposal.title, "reason": reason, "automatic": False,
            "author_id": proposal.author_id}
    else:  # restore
        reason = (data.get("reason") or "").strip() or None
        proposal.hidden_reason, proposal.reports, proposal.verified_reports = None, 0, 0
        kind, payload = "proposals.proposal_restored", {
            "proposal_id": proposal.id, "title": proposal.title, "author_id": proposal.author_id}
    proposal.status, proposal.decided_at = target, utcnow()
    if not unit.coll(Proposal).replace_one({"_id": proposal.id, "status": before}, proposal.to_mongo(),
                                           session=unit.session).modified_count:
        raise Conflict("The proposal changed meanwhile; reload it.", code="wrong_state")
    event = emit(unit, caller, kind, proposal.id, payload)
    audit(unit, event, decision, proposal.id, from_status=before, to_status=target, reason=reason)
    return proposal


def moderate_proposal(caller: Caller, proposal_id: str, data: dict) -> dict:
    """Staff approve, reject, request changes, hide or restore one proposal."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff moderate proposals.")
    required = settings_of(caller.municipality).require_justification
    return present(atomically(lambda unit: _decide(unit, caller, load(unit, caller, proposal_id),
                                                   data["decision"], data, required)), with_overdue=True)


def bulk(caller: Caller, data: dict) -> dict:
    """Approve (at each theme's default competence), reject or hide many; each in its own transaction."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff moderate proposals.")
    required = settings_of(caller.municipality).require_justification
    options = {**data, "bulk": True}
    results = []
    for pid in dict.fromkeys(data["ids"]):  # each id once, in the order given
        try:
            done = atomically(lambda unit, pid=pid: _decide(unit, caller, load(unit, caller, pid),
                                                            data["action"], options, required))
            results.append({"id": pid, "ok": True, "status": done.status})
        except DomainError as error:
            results.append({"id": pid, "ok": False, "code": error.code, "detail": error.message})
    ok = sum(r["ok"] for r in results)
    return {"results": results, "succeeded": ok, "failed": len(results) - ok}


def report(caller: Caller, proposal_id: str, data: dict) -> dict:
    """A resident reports a published proposal once; enough reports by verified residents hide it
    pending review (others' are recorded for staff). Each account sends reports_per_hour an hour."""
    if caller.role not in ("resident", "staff"):
        raise Forbidden("Only residents report proposals.")
    domain.check_not_blocked(is_blocked(caller.municipality, caller.id))
    threshold = settings_of(caller.municipality).auto_hide_reports
    REPORTS.take(caller.id)
    verified = VerifiedResident.objects(id=caller.id, municipality=caller.municipality).first() is not None

    def work(unit: Unit) -> Proposal:
        proposal = load(unit, caller, proposal_id)
        if proposal.status != domain.PUBLISHED:
            raise Conflict("Only published proposals can be reported.", code="wrong_state")
        try:
            unit.insert(Report(id=f"{proposal.id}:{caller.id}", municipality=caller.municipality,
                               proposal_id=proposal.id, reporter_id=caller.id, verified=verified,
                               reason=data["reason"]))
        except DuplicateKeyError as exc:
            raise Conflict("You have already reported this proposal.", code="duplicate") from exc
        proposal = unit.update(Proposal, {"_id": proposal.id},
                               {"$inc": {"reports": 1, "verified_reports": int(verified)}})
        emit(unit, caller, "proposals.proposal_reported", proposal.id, {
            "proposal_id": proposal.id, "reason": data["reason"], "reports": proposal.reports})
        if verified and domain.should_auto_hide(proposal.status, proposal.verified_reports, threshold):
            domain.transition("auto_hide", proposal.status, "system")
            reason = f"Hidden automatically after {proposal.verified_reports} reports, pending review."
            proposal = unit.update(Proposal, {"_id": proposal.id}, {"$set": {
                "status": domain.HIDDEN, "hidden_reason": reason, "decided_at": utcnow()}})
            event = emit(unit, None, "proposals.proposal_hidden", proposal.id, {
                "proposal_id": proposal.id, "title": proposal.title, "reason": reason, "automatic": True,
                "author_id": proposal.author_id}, municipality=caller.municipality)
            audit(unit, event, "auto_hide", proposal.id, from_status=domain.PUBLISHED,
                  to_status=domain.HIDDEN, reason=reason)
        return proposal

    proposal = atomically(work)
    return {"proposal_id": proposal.id, "reports": proposal.reports, "status": proposal.status}


def mark_duplicate(caller: Caller, proposal_id: str, data: dict) -> dict:
    """Staff close a pending proposal as a duplicate of another and link both."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff moderate proposals.")

    def work(unit: Unit) -> Proposal:
        proposal = load(unit, caller, proposal_id)
        if data["of"] == proposal_id:
            raise DomainError("A proposal cannot duplicate itself.", errors={"json": {"of": ["Choose another."]}})
        original = unit.get(Proposal, {"_id": data["of"], "municipality": caller.municipality})
        if original is None:
            raise NotFound("No such original proposal.", errors={"json": {"of": ["Unknown proposal."]}})
        before = proposal.status
        target = domain.transition("mark_duplicate", before, caller.role)
        proposal = unit.update(Proposal, {"_id": proposal.id, "status": before}, {"$set": {
            "status": target, "duplicate_of": original.id, "decided_at": utcnow()}})
        if proposal is None:
            raise Conflict("The proposal changed meanwhile; reload it.", code="wrong_state")
        unit.change(Proposal, {"_id": original.id}, {"$addToSet": {"duplicates": proposal.id}})
        event = emit(unit, caller, "proposals.proposal_marked_duplicate", proposal.id, {
            "proposal_id": proposal.id, "duplicate_of": original.id, "title": proposal.title,
            "author_id": proposal.author_id})
        audit(unit, event, "mark_duplicate", proposal.id, from_status=before, to_status=target,
              reason=f"Duplicate of {original.id}")
        return proposal

    return present(atomically(work), with_overdue=True)
