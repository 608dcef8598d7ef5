"""Events the proposals service consumes: support and discussion counts from voting, which
feed the "most supported" and "most discussed" sorts, and who is a verified resident (whose
reports may hide a proposal); staff's decisions on comments, for the moderation audit log;
projections, idempotent per event. Supports are endorsements
only: ballots never reach this service (a count of yes ballots beside the public ballot count
would publish the running result of a secret vote)."""
from __future__ import annotations

from datetime import datetime

from proposals.desk import send_pending_summaries
from proposals.store import AuditEntry, Proposal, VerifiedResident
from services.db import atomically
from services.events import CATALOGUE
from services.settings import get_settings


def _count(field: str, delta) -> callable:
    def handle(event: dict) -> None:
        change = delta(event["payload"])
        if not change:
            return
        atomically(lambda unit: unit.coll(Proposal).update_one(
            {"_id": event["payload"]["proposal_id"]}, {"$inc": {field: change}}, session=unit.session),
            consumer=f"proposals.{field}", cause=event)
    return handle


def _comment_decision(action: str, count_change: int = 0) -> callable:
    """Staff hid a comment or kept it after its reports (voting): an entry in the moderation audit log,
    keyed by the event, beside the proposal's discussion count."""
    def handle(event: dict) -> None:
        payload = event["payload"]

        def work(unit) -> None:
            if count_change:
                unit.coll(Proposal).update_one({"_id": payload["proposal_id"]},
                                               {"$inc": {"comments": count_change}}, session=unit.session)
            unit.insert(AuditEntry(id=event["event_id"], municipality=event["municipality"],
                                   subject=payload["comment_id"], action=action, actor_id=event["actor"]["id"],
                                   actor_role=event["actor"]["role"], reason=payload.get("reason"),
                                   at=datetime.fromisoformat(event["occurred_at"])))
        atomically(work, consumer="proposals.comments", cause=event)  # the count's consumer: no event twice
    return handle


def _verified(event: dict) -> None:
    """Remember who is a verified resident: only their reports count toward auto-hide."""
    atomically(lambda unit: unit.save(VerifiedResident(id=event["payload"]["user_id"],
                                                       municipality=event["municipality"])),
               consumer="proposals.verified", cause=event)


# event type -> handler, for the voting events the catalogue defines (they arrive with issue 4).
_WANTED = {
    "voting.proposal_endorsed": _count("supports", lambda p: 1),
    "voting.endorsement_withdrawn": _count("supports", lambda p: -1),
    "voting.comment_posted": _count("comments", lambda p: 1),
    "voting.comment_hidden": _comment_decision("hide_comment", -1),
    "voting.comment_reports_dismissed": _comment_decision("dismiss_comment_reports"),
    "voting.resident_verified": _verified,
}
HANDLERS: dict = {kind: handler for kind, handler in _WANTED.items() if kind in CATALOGUE}
TOPICS: list[str] = [get_settings().topic("voting")]
JOBS = {"pending_summaries": (send_pending_summaries, 5.0)}
