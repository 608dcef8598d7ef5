"""Casting ballots: each through its voter's gate of the open vote, most of them committed together
with others in one transaction (`group_commit`), the rest alone for their precise answer."""
from __future__ import annotations

import threading
import time

from services.auth import Caller
from services.db import Unit, atomically
from services.errors import Conflict, DomainError, Forbidden
from voting import counting, domain, eligibility, group_commit
from voting.ballot_write import PREVIOUS, ballot_ids, ballot_write
from voting.ballots import _vote
from voting.store import Ballot, BallotGate

# Ballots through one gate queue in this process instead of racing in the database: every one of
# them writes the gate, so concurrent transactions on it would only abort and retry each other
# (a rush of one voter's fifty clicks took longer than the gateway's timeout on a busy machine).
# Other processes still conflict, and the database's conflict rule keeps that correct.
_GATE_LOCKS = [threading.Lock() for _ in range(4 * domain.GATES)]


def _check_voter(caller: Caller, vote_id: str) -> None:
    """Eligibility, checked before the ballot's transaction so that it stays short; an unknown vote
    is still a 404 for anyone."""
    try:
        eligibility.check_voter(caller)
    except Forbidden:
        _vote(None, caller, vote_id)
        raise


def cast_ballot(caller: Caller, vote_id: str, choice: str) -> dict:
    """Record or replace the caller's ballot, through the voter's gate of the open vote; return a receipt.
    Most ballots are committed together with others (`group_commit`); a ballot the group cannot
    take (not eligible, gate shut, a conflict) comes here alone, for its precise answer."""
    if caller.role != "resident":
        domain.check_can_cast(domain.OPEN, caller.role)
    deadline = time.monotonic() + group_commit.BALLOT_SECONDS
    receipt = group_commit.cast(caller, vote_id, choice, deadline)
    return receipt if receipt is not None else cast_alone(caller, vote_id, choice, deadline)


def _in_time(deadline: float | None) -> None:
    """503 once the ballot's deadline has passed (group_commit.BALLOT_SECONDS): not written at all."""
    if deadline is not None and time.monotonic() > deadline:
        raise DomainError("Your ballot could not be recorded in time; please cast it again.", code="unavailable")


def cast_alone(caller: Caller, vote_id: str, choice: str, deadline: float | None = None) -> dict:
    _in_time(deadline)
    _check_voter(caller, vote_id)
    ids = ballot_ids(caller, vote_id)

    def work(unit: Unit) -> dict:
        _in_time(deadline)  # each attempt: a retry after a write conflict may come too late
        through = unit.change(BallotGate, {"_id": ids.gate, "open": True, "municipality": caller.municipality},
                              {"$inc": {"ballots": 1}})
        if not through:  # not open here: say precisely why
            domain.check_can_cast(_vote(unit, caller, vote_id).status, caller.role)
            raise Conflict("Voting on this proposal has closed.", code="closed")
        coll = Ballot._get_collection()
        # The gate write serialises one voter's ballots, so this read-then-write cannot interleave.
        previous = coll.find_one({"_id": ids.ballot}, PREVIOUS, session=unit.session)
        write, change, receipt = ballot_write(caller, vote_id, ids, choice, previous)
        if write is not None:
            coll.bulk_write([write], session=unit.session)
        # The running count changes here, in this transaction: no event carries the choice.
        counting.count_on_gate(unit, ids.gate, change)
        return receipt

    with _GATE_LOCKS[hash(ids.gate) % len(_GATE_LOCKS)]:
        return atomically(work)
