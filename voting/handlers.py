"""Use cases of the voting service."""
from __future__ import annotations

import hashlib
import hmac
import logging

from services import metrics
from services.auth import Caller
from services.db import Unit, atomically, utcnow
from services.errors import NotFound
from services.events import Actor, follow_up, make_event
from services.settings import get_settings
from voting import domain
from voting.store import Ballot, BallotGate, LiveTally, Vote

log = logging.getLogger(__name__)
ANONYMOUS_VOTER = Actor("resident", None)  # vote_cast never names the voter


def voter_key(voter_id: str, vote_id: str) -> str:
    """A pseudonym for the voter, different for every vote, that only the service can compute."""
    secret = get_settings().service_secret.encode()
    return hmac.new(secret, f"{vote_id}:{voter_id}".encode(), hashlib.sha256).hexdigest()


def _vote(unit: Unit, caller: Caller, vote_id: str) -> Vote:
    vote = unit.get(Vote, {"_id": vote_id, "municipality": caller.municipality})
    if vote is None:
        raise NotFound("This proposal is not (yet) published for voting.")
    return vote


def open_voting(caller: Caller, vote_id: str) -> Vote:
    def work(unit: Unit) -> Vote:
        vote = _vote(unit, caller, vote_id)
        domain.check_can_open(vote.status, caller.role)
        vote = unit.update(Vote, {"_id": vote_id}, {"$set": {"status": domain.OPEN, "opened_at": utcnow()}})
        for n in range(domain.GATES):
            unit.insert(BallotGate(id=f"{vote_id}:{n}", vote_id=vote_id, municipality=vote.municipality))
        unit.emit(make_event("voting.voting_opened", municipality=vote.municipality, aggregate_id=vote.id,
                             actor=Actor(caller.role, caller.id), payload={"proposal_id": vote.id}))
        return vote

    return atomically(work)


def cast_ballot(caller: Caller, vote_id: str, choice: str) -> dict:
    """Record or replace the caller's ballot, through the voter's gate of the open vote."""
    if caller.role != "resident":
        domain.check_can_cast(domain.OPEN, caller.role)
    key = voter_key(caller.id, vote_id)
    ballot_id = f"{vote_id}:{key}"

    def work(unit: Unit) -> dict:
        gate = unit.update(BallotGate, {"_id": f"{vote_id}:{domain.stripe(key)}", "open": True,
                                        "municipality": caller.municipality}, {"$inc": {"ballots": 1}})
        if gate is None:  # not open here: say precisely why
            domain.check_can_cast(_vote(unit, caller, vote_id).status, caller.role)
        previous = Ballot._get_collection().find_one_and_update(
            {"_id": ballot_id}, {"$set": {"choice": choice, "cast_at": utcnow()},
                                 "$setOnInsert": {"vote_id": vote_id, "voter": key}},
            upsert=True, session=unit.session, projection={"choice": 1})
        replaced = previous["choice"] if previous else None
        if replaced != choice:
            unit.emit(make_event("voting.vote_cast", municipality=caller.municipality, aggregate_id=vote_id,
                                 actor=ANONYMOUS_VOTER,
                                 payload={"proposal_id": vote_id, "choice": choice, "replaced": replaced}))
        return {"proposal_id": vote_id, "choice": choice, "changed": previous is not None and replaced != choice}

    return atomically(work)


def count_ballots(unit: Unit | None, vote_id: str) -> dict:
    """The tally recomputed from the stored ballots."""
    pipeline = [{"$match": {"vote_id": vote_id}}, {"$group": {"_id": "$choice", "n": {"$sum": 1}}}]
    session = unit.session if unit else None
    tally = domain.empty_tally()
    for row in Ballot._get_collection().aggregate(pipeline, session=session):
        tally[row["_id"]] = row["n"]
    return tally


def close_voting(caller: Caller, vote_id: str) -> Vote:
    """Close the window, count the ballots, and conclude."""
    quorum = get_settings().vote_quorum

    def work(unit: Unit) -> Vote:
        vote = _vote(unit, caller, vote_id)
        domain.check_can_close(vote.status, caller.role)
        vote = unit.update(Vote, {"_id": vote_id, "status": domain.OPEN},
                           {"$set": {"status": domain.CLOSED, "closed_at": utcnow()}})
        # Writing every gate makes any ballot still in flight conflict with this close.
        unit.coll(BallotGate).update_many({"vote_id": vote_id}, {"$set": {"open": False}}, session=unit.session)
        tally = count_ballots(unit, vote_id)
        result = domain.outcome(tally, quorum)
        vote = unit.update(Vote, {"_id": vote_id}, {"$set": {"final_tally": tally, "outcome": result}})
        actor = Actor(caller.role, caller.id)
        closed = make_event("voting.voting_closed", municipality=vote.municipality, aggregate_id=vote.id,
                            actor=actor, payload={"proposal_id": vote.id, "ballots": sum(tally.values())})
        unit.emit(closed)
        unit.emit(follow_up(closed, "voting.conclusion_reached", aggregate_id=vote.id, payload={
            "proposal_id": vote.id, "process_id": vote.process_id, "title": vote.title, "outcome": result,
            "tally": tally, "ballots": sum(tally.values()), "competence": vote.competence,
            "theme": vote.theme, "author_id": vote.author_id}))
        return vote

    return atomically(work)


def results(caller: Caller, vote_id: str) -> dict:
    """Public results: the final tally once closed; while open, only the number of ballots."""
    vote = Vote.objects(id=vote_id, municipality=caller.municipality).first()
    if vote is None:
        raise NotFound("This proposal is not (yet) published for voting.")
    live = LiveTally.objects(id=vote_id).first()
    counted = sum(live.as_dict().values()) if live else 0
    return {"proposal_id": vote.id, "status": vote.status, "competence": vote.competence,
            "opened_at": vote.opened_at, "closed_at": vote.closed_at, "ballots": counted
            if vote.status != domain.CLOSED else sum(vote.final_tally.values()),
            "tally": vote.final_tally if vote.status == domain.CLOSED else None, "outcome": vote.outcome,
            "live_tally": live.as_dict() if (live and caller.role == "staff") else None}


# --- consumers ---------------------------------------------------------------

def on_proposal_published(event: dict) -> None:
    p = event["payload"]

    def work(unit: Unit) -> None:
        unit.save(Vote(id=p["proposal_id"], municipality=event["municipality"], process_id=p["process_id"],
                       title=p["title"], theme=p["theme"], competence=p["competence"], author_id=p["author_id"]))

    atomically(work, consumer="voting.projection", cause=event)


def on_vote_cast(event: dict) -> None:
    p = event["payload"]
    change = {p["choice"]: 1}
    if p.get("replaced"):
        change[p["replaced"]] = change.get(p["replaced"], 0) - 1
    atomically(lambda unit: unit.update(LiveTally, {"_id": p["proposal_id"]}, {"$inc": change}, upsert=True),
               consumer="voting.tally", cause=event)


def on_voting_closed(event: dict) -> None:
    """Every vote_cast of this vote precedes this event on its partition: the live count must match."""
    vote_id = event["payload"]["proposal_id"]

    def work(unit: Unit) -> None:
        vote = unit.get(Vote, {"_id": vote_id})
        live = unit.get(LiveTally, {"_id": vote_id})
        live_tally = live.as_dict() if live else domain.empty_tally()
        if vote and vote.final_tally != live_tally:
            metrics.TALLY_MISMATCH.labels("voting").inc()
            log.error("TALLY MISMATCH on %s: final %s, live %s", vote_id, vote.final_tally, live_tally)

    atomically(work, consumer="voting.tally-check", cause=event)
