"""What a vote shows: its results (the running count only to staff, or to all under live results),
what a receipt proves, and supports before the vote opens (public endorsements, never ballots)."""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from services.auth import Caller
from services.db import Unit, atomically
from services.errors import Conflict, NotFound
from services.events import SYSTEM, make_event
from voting import counting, domain, eligibility
from voting.ballots import ANONYMOUS_VOTER, _open, _vote, rules_of, voter_key
from voting.store import Ballot, Support, Vote


def check_receipt(code: str) -> dict:
    """What a receipt proves: that version N of a ballot is stored (and counted once closed). Never the choice."""
    from voting import approval

    digest = domain.receipt_digest(code)
    found = Ballot._get_collection().find_one({"receipts": digest}, {"vote_id": 1, "version": 1, "receipts": 1})
    kind = "proposal_id"
    if found is not None:
        vote = Vote.objects(id=found["vote_id"]).only("status", "closed_at").first()
        found.update(status=vote.status if vote else None, closed_at=vote.closed_at if vote else None)
    else:
        found, kind = approval.find_receipt(digest), "approval_id"
    if found is None:
        raise NotFound("No ballot has this receipt.")
    version = found["receipts"].index(digest) + 1
    latest = found.get("version", 1)
    if version < latest:
        state = "superseded"  # the voter changed this ballot later; the later version counts
    else:
        state = "counted" if found["status"] == domain.CLOSED else "recorded"
    return {kind: found["vote_id"], "version": version, "latest_version": latest, "state": state,
            "vote_status": found["status"], "closed_at": found["closed_at"]}


def results(caller: Caller, vote_id: str) -> dict:
    """Public results once closed (tally, turnout against the register, outcome); the running count only to
    staff, or to everyone if the rules allow live results."""
    vote = _vote(None, caller, vote_id)
    rules = rules_of(vote)
    live = counting.live_tally(vote_id, domain.CHOICES)
    closed = vote.status == domain.CLOSED
    counted = sum(vote.final_tally.values()) if closed else sum(live.values())  # moves with turnout only
    show_live = caller.role == "staff" or domain.check_results_visible(vote.status, caller.role, rules)
    return {"proposal_id": vote.id, "status": vote.status, "competence": vote.competence,
            "opened_at": vote.opened_at, "closed_at": vote.closed_at, "opens_at": vote.opens_at,
            "closes_at": vote.closes_at, "ballots": counted, "tally": vote.final_tally if closed else None,
            "outcome": vote.outcome, "electorate": vote.electorate, "turnout": vote.turnout,
            "quorum_met": vote.quorum_met, "tie": vote.tie, "supports": vote.supports, "rules": rules.as_dict(),
            "tally_check": vote.tally_check,
            "live_tally": live if show_live else None}



# --- supports -----------------------------------------------------------------

def support(caller: Caller, vote_id: str, on: bool = True) -> dict:
    """An eligible resident supports a published proposal; reaching the process threshold opens the vote."""
    eligibility.check_voter(caller)
    support_id = f"{vote_id}:{voter_key(caller.id, vote_id)}"

    def work(unit: Unit) -> dict:
        vote = _vote(unit, caller, vote_id)
        if vote.status != domain.PUBLISHED:
            raise Conflict("Supports are collected before the vote opens.", code="wrong_state")
        exists = unit.get(Support, {"_id": support_id}) is not None
        if on and not exists:
            unit.insert(Support(id=support_id, vote_id=vote_id))
        elif not on and exists:
            unit.coll(Support).delete_one({"_id": support_id}, session=unit.session)
        delta = (1 if on else -1) if on != exists else 0
        vote = unit.update(Vote, {"_id": vote_id}, {"$inc": {"supports": delta}})
        if delta:  # endorsements feed the proposals' "supports" (ballots never do)
            unit.emit(make_event("voting.proposal_endorsed" if on else "voting.endorsement_withdrawn",
                                 municipality=vote.municipality, aggregate_id=vote_id, actor=ANONYMOUS_VOTER,
                                 payload={"proposal_id": vote_id, "supports": vote.supports}))
        threshold = rules_of(vote).support_threshold
        moved = bool(on and threshold and vote.supports >= threshold)
        if moved:
            vote = _open(unit, vote, SYSTEM)
        return {"proposal_id": vote_id, "supported": on, "supports": vote.supports,
                "threshold": threshold, "status": vote.status}

    try:
        return atomically(work)
    except DuplicateKeyError as exc:  # pragma: no cover - the vote write serialises supports
        raise Conflict("Try again.", code="conflict") from exc
