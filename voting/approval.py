"""Use cases of process-level approval ballots: each voter selects up to N measures.

The same integrity machinery as yes/no votes: gates make ballots conflict with the close, ballots are
stored under the per-vote pseudonym with receipts, the running count is kept on the gates in each
ballot's transaction (no selection travels on the bus), the final tally is recounted from the ballots
and checked against that count."""
from __future__ import annotations

import logging

from services import metrics
from services.auth import Caller
from services.db import Unit, atomically, new_id, utcnow
from services.errors import Conflict, DomainError, Forbidden, NotFound
from services.events import SYSTEM, Actor, make_event
from services.settings import get_settings
from voting import counting, domain, eligibility
from voting.ballots import process_rules, shut_gates, voter_key
from voting.store import ApprovalBallot, ApprovalVote, BallotGate

log = logging.getLogger(__name__)


def _get(unit: Unit | None, caller: Caller, approval_id: str) -> ApprovalVote:
    query = {"_id": approval_id, "municipality": caller.municipality}
    found = unit.get(ApprovalVote, query) if unit else \
        ApprovalVote.objects(id=approval_id, municipality=caller.municipality).first()
    if found is None:
        raise NotFound("No such approval vote.")
    return found


def _option_ids(vote: ApprovalVote) -> list[str]:
    return [o["id"] for o in vote.options]


def create(caller: Caller, process_id: str, data: dict) -> ApprovalVote:
    if caller.role != "staff":
        raise Forbidden("Only municipal staff set up votes.")
    options = [{"id": o.get("id") or f"m{n + 1}", "label": o["label"]} for n, o in enumerate(data["options"])]
    if len({o["id"] for o in options}) != len(options) or not 1 <= data["max_selections"] <= len(options):
        raise DomainError("Options need distinct ids, and max_selections must be 1..options.",
                          errors={"json": {"options": ["Check ids and max_selections."]}})
    rules = process_rules(caller.municipality, process_id).merged(data.get("rules"))
    vote = ApprovalVote(id=new_id(), municipality=caller.municipality, process_id=process_id, title=data["title"],
                        options=options, max_selections=data["max_selections"], rules=rules.as_dict(),
                        opens_at=data.get("opens_at"), closes_at=data.get("closes_at"))
    if vote.opens_at or vote.closes_at:
        domain.check_window(domain.PUBLISHED, caller.role, vote.opens_at, vote.closes_at, None, utcnow())
    atomically(lambda unit: unit.insert(vote))
    return vote


def _open(unit: Unit, vote: ApprovalVote, actor: Actor) -> ApprovalVote:
    vote = unit.update(ApprovalVote, {"_id": vote.id, "status": domain.PUBLISHED},
                       {"$set": {"status": domain.OPEN, "opened_at": utcnow()}})
    if vote is None:
        raise Conflict("The vote is no longer waiting to open.", code="wrong_state")
    for n in range(domain.GATES):
        unit.insert(BallotGate(id=f"{vote.id}:{n}", vote_id=vote.id, municipality=vote.municipality))
    unit.emit(make_event("voting.approval_opened", municipality=vote.municipality, aggregate_id=vote.id, actor=actor,
                         payload={"approval_id": vote.id, "process_id": vote.process_id, "title": vote.title,
                                  "options": _option_ids(vote), "max_selections": vote.max_selections}))
    return vote


def open_(caller: Caller, approval_id: str) -> ApprovalVote:
    def work(unit: Unit) -> ApprovalVote:
        vote = _get(unit, caller, approval_id)
        domain.check_can_open(vote.status, caller.role)
        return _open(unit, vote, Actor(caller.role, caller.id))

    return atomically(work)


def count(unit: Unit | None, approval_id: str, options: list[str]) -> tuple[dict, int]:
    """Approvals per measure and ballots, recounted from the stored ballots."""
    tally, ballots = {o: 0 for o in options}, 0
    for row in ApprovalBallot._get_collection().find({"vote_id": approval_id}, {"selections": 1},
                                                     session=unit.session if unit else None):
        ballots += 1
        for option in row["selections"]:
            tally[option] += 1
    return tally, ballots


def _close(unit: Unit, vote: ApprovalVote, actor: Actor) -> ApprovalVote:
    vote = unit.update(ApprovalVote, {"_id": vote.id, "status": domain.OPEN},
                       {"$set": {"status": domain.CLOSED, "closed_at": utcnow()}})
    if vote is None:
        raise Conflict("The vote is no longer open.", code="wrong_state")
    unit.coll(BallotGate).update_many({"vote_id": vote.id}, {"$set": {"open": False}}, session=unit.session)
    options = _option_ids(vote)
    tally, ballots = count(unit, vote.id, options)
    electorate = eligibility.electorate(vote.municipality)
    rules = domain.Rules().merged(vote.rules)
    quorum = domain.decide({"yes": ballots, "no": 0}, rules, electorate)  # quorum depends on ballots only
    ranking = domain.rank(tally, options)
    vote = unit.update(ApprovalVote, {"_id": vote.id}, {"$set": {
        "final_tally": tally, "ballots": ballots, "electorate": electorate, "turnout": quorum.turnout,
        "quorum_met": quorum.quorum_met, "ranking": ranking}})
    unit.emit(make_event("voting.approval_closed", municipality=vote.municipality, aggregate_id=vote.id, actor=actor,
                         payload={"approval_id": vote.id, "process_id": vote.process_id, "title": vote.title,
                                  "tally": tally, "ranking": ranking, "ballots": ballots, "electorate": electorate,
                                  "turnout": quorum.turnout, "quorum_met": quorum.quorum_met}))
    return vote


def close(caller: Caller, approval_id: str) -> ApprovalVote:
    domain.check_can_close(_get(None, caller, approval_id).status, caller.role)
    shut_gates(approval_id)

    def work(unit: Unit) -> ApprovalVote:
        vote = _get(unit, caller, approval_id)
        domain.check_can_close(vote.status, caller.role)
        return _close(unit, vote, Actor(caller.role, caller.id))

    return atomically(work)


def run_windows() -> bool:
    now, busy = utcnow(), False
    due = list(ApprovalVote.objects(status=domain.PUBLISHED, opens_at__lte=now).only("id", "status")) + \
        list(ApprovalVote.objects(status=domain.OPEN, closes_at__lte=now).only("id", "status"))
    for found in due:
        if found.status == domain.OPEN:
            shut_gates(found.id)

        def work(unit: Unit, found=found) -> str | None:
            vote = unit.get(ApprovalVote, {"_id": found.id})
            action = domain.due(vote.status, vote.opens_at, vote.closes_at, utcnow()) if vote else None
            if action and vote.status == domain.PUBLISHED:
                _open(unit, vote, SYSTEM)
            elif action == "close":
                _close(unit, vote, SYSTEM)
            return action
        try:
            busy = bool(atomically(work)) or busy
        except Conflict:
            continue
    return busy


def cast(caller: Caller, approval_id: str, selections: list[str]) -> dict:
    if caller.role != "resident":
        domain.check_can_cast(domain.OPEN, caller.role)
    try:
        eligibility.check_voter(caller)
    except Forbidden:
        _get(None, caller, approval_id)  # an unknown vote is a 404 for anyone
        raise
    key = voter_key(caller.id, approval_id)
    ballot_id = f"{approval_id}:{key}"
    secret = get_settings().service_secret.encode()

    def work(unit: Unit) -> dict:
        gate_id = f"{approval_id}:{domain.stripe(key)}"
        through = unit.change(BallotGate, {"_id": gate_id, "open": True, "municipality": caller.municipality},
                              {"$inc": {"ballots": 1}})
        vote = _get(unit, caller, approval_id)
        if not through:
            domain.check_can_cast(vote.status, caller.role)
            raise Conflict("Voting has closed.", code="closed")
        chosen = domain.check_selections(selections, _option_ids(vote), vote.max_selections)
        coll = ApprovalBallot._get_collection()
        previous = coll.find_one({"_id": ballot_id}, {"selections": 1, "version": 1}, session=unit.session)
        replaced = previous["selections"] if previous else None
        changed = replaced != chosen
        version = (previous.get("version", 1) if previous else 0) + changed
        code = domain.receipt_code(secret, ballot_id, version)
        if previous is None:
            coll.insert_one({"_id": ballot_id, "vote_id": approval_id, "voter": key, "selections": chosen,
                             "cast_at": utcnow(), "version": 1, "receipts": [domain.receipt_digest(code)]},
                            session=unit.session)
        elif changed:
            coll.update_one({"_id": ballot_id},
                            {"$set": {"selections": chosen, "cast_at": utcnow(), "version": version},
                             "$push": {"receipts": domain.receipt_digest(code)}}, session=unit.session)
        counting.count_on_gate(unit, gate_id, counting.tally_change(replaced, chosen))  # in this transaction
        return {"approval_id": approval_id, "selections": chosen, "changed": previous is not None and changed,
                "receipt": code, "version": version}

    return atomically(work)


def find_receipt(digest: str) -> dict | None:
    found = ApprovalBallot._get_collection().find_one({"receipts": digest}, {"vote_id": 1, "version": 1, "receipts": 1})
    if found is None:
        return None
    vote = ApprovalVote.objects(id=found["vote_id"]).only("status", "closed_at").first()
    return {**found, "status": vote.status if vote else None, "closed_at": vote.closed_at if vote else None}


def of_process(caller: Caller, process_id: str) -> list[dict]:
    """A process's approval ballots in the caller's municipality, the newest first (no counts)."""
    found = ApprovalVote.objects(municipality=caller.municipality, process_id=process_id).order_by("-opens_at", "-id")
    return [{"id": v.id, "process_id": v.process_id, "title": v.title, "status": v.status,
             "max_selections": v.max_selections, "options": len(v.options), "opens_at": v.opens_at,
             "closes_at": v.closes_at, "closed_at": v.closed_at} for v in found.limit(200)]


def results(caller: Caller, approval_id: str) -> dict:
    vote = _get(None, caller, approval_id)
    rules = domain.Rules().merged(vote.rules)
    closed = vote.status == domain.CLOSED
    show_live = caller.role == "staff" or domain.check_results_visible(vote.status, caller.role, rules)
    return {"id": vote.id, "process_id": vote.process_id, "title": vote.title, "options": vote.options,
            "max_selections": vote.max_selections, "status": vote.status, "opens_at": vote.opens_at,
            "closes_at": vote.closes_at, "opened_at": vote.opened_at, "closed_at": vote.closed_at,
            "tally": vote.final_tally if closed else None, "ranking": vote.ranking if closed else None,
            "ballots": vote.ballots, "electorate": vote.electorate, "turnout": vote.turnout,
            "quorum_met": vote.quorum_met, "tally_check": vote.tally_check,
            "live_tally": counting.live_tally(vote.id, _option_ids(vote)) if show_live else None}


# --- consumers -----------------------------------------------------------------

def on_approval_closed(event: dict) -> None:
    """The gates' running count must match the recount at close (zero counts are equal to missing ones)."""
    p = event["payload"]

    def work(unit: Unit) -> None:
        vote = unit.get(ApprovalVote, {"_id": p["approval_id"]})
        live = counting.live_tally(vote.id, p["tally"], unit) if vote else {}
        if vote is None:
            return
        matched = live == p["tally"]
        if not matched:
            metrics.TALLY_MISMATCH.labels("voting").inc()
            log.error("TALLY MISMATCH on approval %s: final %s, live %s", vote.id, p["tally"], live)
        unit.change(ApprovalVote, {"_id": vote.id}, {"$set": {"tally_check": "matched" if matched else "mismatch",
                                                             "tally_checked_at": utcnow()}})

    atomically(work, consumer="voting.approval-tally-check", cause=event)
