"""Use cases of votes: rules, windows, opening and closing (ballots are cast in `casting`, results,
receipts and supports are in `results`, the running count and the participants in `counting`)."""
from __future__ import annotations

import hashlib
import hmac
import logging

from services.auth import Caller
from services.db import Unit, atomically, utcnow
from services.errors import Conflict, Forbidden, NotFound
from services.events import SYSTEM, Actor, follow_up, make_event
from services.settings import get_settings
from voting import counting, domain, eligibility
from voting.store import Ballot, BallotGate, Comment, ProcessRules, Vote

log = logging.getLogger(__name__)
ANONYMOUS_VOTER = Actor("resident", None)  # for events about supports: they never name the supporter


def voter_key(voter_id: str, vote_id: str) -> str:
    """A pseudonym for the voter, different for every vote, that only the service can compute."""
    secret = get_settings().service_secret.encode()
    return hmac.new(secret, f"{vote_id}:{voter_id}".encode(), hashlib.sha256).hexdigest()


def _vote(unit: Unit | None, caller: Caller, vote_id: str) -> Vote:
    query = {"_id": vote_id, "municipality": caller.municipality}
    vote = unit.get(Vote, query) if unit else Vote.objects(id=vote_id, municipality=caller.municipality).first()
    if vote is None:
        raise NotFound("This proposal is not (yet) published for voting.")
    return vote


# --- rules -------------------------------------------------------------------

def process_rules(municipality: str, process_id: str) -> domain.Rules:
    base = domain.Rules(quorum_ballots=get_settings().vote_quorum)
    stored = ProcessRules.objects(id=f"{municipality}:{process_id}").first()
    return base.merged(stored.rules if stored else None)


def rules_of(vote: Vote) -> domain.Rules:
    """The vote's rules: frozen at opening; before that, the process rules with the vote's overrides."""
    return process_rules(vote.municipality, vote.process_id).merged(vote.rules)


def set_process_rules(caller: Caller, process_id: str, changes: dict) -> dict:
    if caller.role != "staff":
        raise Forbidden("Only municipal staff set voting rules.")
    rules = process_rules(caller.municipality, process_id).merged(changes)
    atomically(lambda unit: unit.save(ProcessRules(id=f"{caller.municipality}:{process_id}", process_id=process_id,
                                                   municipality=caller.municipality, rules=rules.as_dict())))
    return {"process_id": process_id, **rules.as_dict()}


def get_process_rules(caller: Caller, process_id: str) -> dict:
    return {"process_id": process_id, **process_rules(caller.municipality, process_id).as_dict()}


def set_vote_rules(caller: Caller, vote_id: str, changes: dict) -> dict:
    """Override the process rules for one vote; only before it opens (rules never change mid-vote)."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff set voting rules.")

    def work(unit: Unit) -> dict:
        vote = _vote(unit, caller, vote_id)
        if vote.status != domain.PUBLISHED:
            raise Conflict("The rules of a vote are fixed once it opens.", code="wrong_state")
        rules = rules_of(vote).merged(changes)
        override = {**(vote.rules or {}), **{k: v for k, v in changes.items() if k in rules.as_dict()}}
        unit.change(Vote, {"_id": vote_id}, {"$set": {"rules": override}})
        return {"proposal_id": vote_id, **rules.as_dict()}

    return atomically(work)


# --- windows -----------------------------------------------------------------

def set_window(caller: Caller, vote_id: str, data: dict) -> Vote:
    def work(unit: Unit) -> Vote:
        vote = _vote(unit, caller, vote_id)
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        domain.check_window(vote.status, caller.role, opens_at, closes_at, vote.opened_at or vote.opens_at, utcnow())
        change = {"closes_at": closes_at}
        if vote.status == domain.PUBLISHED:
            change["opens_at"] = opens_at
        vote = unit.update(Vote, {"_id": vote_id, "status": vote.status}, {"$set": change})
        if vote is None:
            raise Conflict("The vote changed meanwhile; try again.", code="wrong_state")
        unit.emit(make_event("voting.voting_scheduled", municipality=vote.municipality, aggregate_id=vote.id,
                             actor=Actor(caller.role, caller.id), payload={
                                 "proposal_id": vote.id, "opens_at": _iso(vote.opens_at),
                                 "closes_at": _iso(vote.closes_at)}))
        return vote

    return atomically(work)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _open(unit: Unit, vote: Vote, actor: Actor) -> Vote:
    rules = rules_of(vote)
    vote = unit.update(Vote, {"_id": vote.id, "status": domain.PUBLISHED},
                       {"$set": {"status": domain.OPEN, "opened_at": utcnow(), "rules": rules.as_dict(),
                                 "opening_electorate": eligibility.electorate(vote.municipality)}})
    if vote is None:
        raise Conflict("The vote is no longer waiting to open.", code="wrong_state")
    for n in range(domain.GATES):
        unit.insert(BallotGate(id=f"{vote.id}:{n}", vote_id=vote.id, municipality=vote.municipality))
    unit.emit(make_event("voting.voting_opened", municipality=vote.municipality, aggregate_id=vote.id,
                         actor=actor, payload={"proposal_id": vote.id}))
    return vote


def open_voting(caller: Caller, vote_id: str) -> Vote:
    def work(unit: Unit) -> Vote:
        vote = _vote(unit, caller, vote_id)
        domain.check_can_open(vote.status, caller.role)
        return _open(unit, vote, Actor(caller.role, caller.id))

    return atomically(work)


def count_ballots(unit: Unit | None, vote_id: str) -> dict:
    """The tally recomputed from the stored ballots."""
    pipeline = [{"$match": {"vote_id": vote_id}}, {"$group": {"_id": "$choice", "n": {"$sum": 1}}}]
    session = unit.session if unit else None
    tally = domain.empty_tally()
    for row in Ballot._get_collection().aggregate(pipeline, session=session):
        tally[row["_id"]] = row["n"]
    return tally


def _close(unit: Unit, vote: Vote, actor: Actor) -> Vote:
    vote = unit.update(Vote, {"_id": vote.id, "status": domain.OPEN},
                       {"$set": {"status": domain.CLOSED, "closed_at": utcnow()}})
    if vote is None:
        raise Conflict("The vote is no longer open.", code="wrong_state")
    # Writing every gate makes any ballot still in flight conflict with this close.
    unit.coll(BallotGate).update_many({"vote_id": vote.id}, {"$set": {"open": False}}, session=unit.session)
    tally = count_ballots(unit, vote.id)
    rules, basis, electorate = rules_of(vote), domain.ELECTORATE_AT_OPENING, vote.opening_electorate
    if electorate is None:  # opened before the register was counted at opening
        basis, electorate = domain.ELECTORATE_AT_CLOSE, eligibility.electorate(vote.municipality)
    decision = domain.decide(tally, rules, electorate)
    vote = unit.update(Vote, {"_id": vote.id}, {"$set": {
        "final_tally": tally, "outcome": decision.outcome, "electorate": decision.electorate,
        "turnout": decision.turnout, "quorum_met": decision.quorum_met, "tie": decision.tie}})
    closed = make_event("voting.voting_closed", municipality=vote.municipality, aggregate_id=vote.id,
                        actor=actor, payload={"proposal_id": vote.id, "ballots": decision.ballots})
    unit.emit(closed)
    # Who took part, sorted, only now: before the conclusion, so that they hear it (notifications).
    for event in counting.participant_events(closed, vote.id, counting.participants(unit, unit.coll(Ballot), vote.id)):
        unit.emit(event)
    unit.emit(follow_up(closed, "voting.conclusion_reached", aggregate_id=vote.id, payload={
        "proposal_id": vote.id, "process_id": vote.process_id, "title": vote.title, "outcome": decision.outcome,
        "tally": tally, "ballots": decision.ballots, "competence": vote.competence,
        "theme": vote.theme, "author_id": vote.author_id, **domain.conclusion_facts(decision, rules, basis),
        "arguments": strongest_arguments(unit, vote.id)}))
    return vote


def strongest_arguments(unit: Unit, vote_id: str, per_side: int = 3) -> dict:
    """The texts of the most endorsed visible arguments for and against, for the conclusion."""
    rows = list(unit.coll(Comment).find({"vote_id": vote_id, "status": domain.VISIBLE},
                                        {"body": 1, "alignment": 1, "endorsements": 1, "posted_at": 1, "status": 1},
                                        session=unit.session))
    top = domain.top_arguments([{"endorsements": 0, **row} for row in rows], per_side)
    return {side: [c["body"] for c in top[side] if c.get("body")] for side in ("for", "against")}


def shut_gates(vote_id: str) -> None:
    """Shut the gates one by one before the counting transaction. Each tiny transaction waits out only
    the ballots in flight on its own gate, so a close cannot be starved by a rush of ballots (closing
    all 32 gates in one transaction lost every write conflict until the rush ended). A ballot meeting
    a shut gate is refused; one that got through it first has committed and is in the recount."""
    for n in range(domain.GATES):
        atomically(lambda unit, n=n: unit.change(BallotGate, {"_id": f"{vote_id}:{n}"}, {"$set": {"open": False}}))


def close_voting(caller: Caller, vote_id: str) -> Vote:
    """Close the window, count the ballots, and conclude."""
    domain.check_can_close(_vote(None, caller, vote_id).status, caller.role)
    shut_gates(vote_id)

    def work(unit: Unit) -> Vote:
        vote = _vote(unit, caller, vote_id)
        domain.check_can_close(vote.status, caller.role)
        return _close(unit, vote, Actor(caller.role, caller.id))

    return atomically(work)


def run_windows() -> bool:
    """The clock's job: open and close scheduled votes on time (safe to run in several workers)."""
    now, busy = utcnow(), False
    due = list(Vote.objects(status=domain.PUBLISHED, opens_at__lte=now).only("id", "status")) + \
        list(Vote.objects(status=domain.OPEN, closes_at__lte=now).only("id", "status"))
    for found in due:
        if found.status == domain.OPEN:
            shut_gates(found.id)

        def work(unit: Unit, found=found) -> str | None:
            vote = unit.get(Vote, {"_id": found.id})
            action = domain.due(vote.status, vote.opens_at, vote.closes_at, utcnow()) if vote else None
            if action and vote.status == domain.PUBLISHED:  # open first; a past closing time closes it next round
                _open(unit, vote, SYSTEM)
                action = "open"
            elif action == "close":
                _close(unit, vote, SYSTEM)
            return action
        try:
            action = atomically(work)
        except Conflict:
            continue  # another worker got there first
        if action:
            busy = True
            log.info("window: %s vote %s on time", "opened" if action == "open" else "closed", found.id)
    return busy
