"""Group commit of ballots: the ballots that arrive while one group is being written are written
next, together, in one transaction: their voters' eligibility in one query (two for voters this
process has not seen verified before: `eligibility.verifications`), the ballots they
replace in one, their gates' counts in one write, the ballots in one or two, one commit. So the
database sees a handful of commands per group instead of about seven per ballot, and the rush at
a vote's close queues in memory for a few milliseconds instead of in write conflicts.

The guarantees are those of a ballot cast alone (`casting.cast_alone`): every ballot of the group
goes through its voter's gate, which must be open in the voter's municipality, in the same
transaction as the ballot and its count; a request is answered only after its group committed, so
a crash loses no answered ballot, and a group that did not commit is answered by nobody. A voter's
second ballot in one group waits for the next (so that it replaces the first). A ballot the group
cannot take (its voter not eligible, its gate shut, any error) is cast alone by its own request,
for the precise answer that path gives.

A ballot is written within BALLOT_SECONDS of its request's arrival or not at all. The gateway gives
up on a request after 15 s (gateway/routes/op.py) and the voter may then cast another choice; a
group still retrying its transaction after a write conflict (a SIGKILLed process's transaction
holds its gate until the server reaps it) re-reads the ballots it replaces on each attempt, and
would otherwise write the older choice over the newer one."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from pymongo import UpdateOne

from services import metrics
from services.auth import Caller
from services.batching import Batcher
from services.db import Unit, atomically
from voting import eligibility
from voting.ballot_write import PREVIOUS, BallotIds, ballot_ids, ballot_write
from voting.store import Ballot, BallotGate


BALLOT_SECONDS = 12.0  # less than the gateway's 15 s, so a ballot it gave up on is never written later


@dataclass
class Pending:
    caller: Caller
    vote_id: str
    choice: str
    ids: BallotIds
    deadline: float  # time.monotonic() after which the ballot is not written


class GateShut(Exception):
    """A gate of the group is shut (or not in the voter's municipality): the group is undone."""


def cast(caller: Caller, vote_id: str, choice: str, deadline: float) -> dict | None:
    """The receipt, once the caller's ballot has committed in a group; None: cast it alone."""
    ids = ballot_ids(caller, vote_id)
    return GROUPS.submit(Pending(caller, vote_id, choice, ids, deadline), key=ids.ballot,
                         wait_seconds=max(0.0, deadline - time.monotonic()))


def commit(group: list[Pending]) -> list[dict | None]:
    """Write the group's ballots of eligible voters in one transaction: their receipts, in order
    (None for a ballot the group did not take: it is cast alone)."""
    voters = eligibility.on_register(item.caller for item in group)
    taken = [item for item in group if item.caller.id in voters]
    try:
        receipts = atomically(lambda unit: _write(unit, taken)) if taken else {}
    except GateShut:
        receipts = {}
    if receipts:
        metrics.BALLOT_GROUPS.observe(len(receipts))
    return [receipts.get(id(item)) for item in group]


def _write(unit: Unit, group: list[Pending]) -> dict[int, dict]:
    now = time.monotonic()  # each attempt of the transaction: a ballot past its deadline is left out
    group = [item for item in group if item.deadline > now]
    if not group:
        return {}
    coll = Ballot._get_collection()
    previous = {row["_id"]: row for row in coll.find({"_id": {"$in": [item.ids.ballot for item in group]}},
                                                     PREVIOUS, session=unit.session)}
    writes, receipts, counts = [], {}, {}
    for item in group:
        write, change, receipt = ballot_write(item.caller, item.vote_id, item.ids, item.choice,
                                              previous.get(item.ids.ballot))
        if write is not None:
            writes.append(write)
        count = counts.setdefault((item.ids.gate, item.caller.municipality), Counter())
        count["ballots"] += 1
        count.update({f"tally.{option}": n for option, n in change.items()})
        receipts[id(item)] = receipt
    gates = unit.coll(BallotGate).bulk_write(
        [UpdateOne({"_id": gate_id, "open": True, "municipality": municipality},
                   {"$inc": {name: n for name, n in count.items() if n}})
         for (gate_id, municipality), count in counts.items()], ordered=False, session=unit.session)
    if gates.matched_count != len(counts):
        raise GateShut()
    if writes:
        coll.bulk_write(writes, ordered=False, session=unit.session)
    return receipts


GROUPS = Batcher("ballot-group-commit", commit)
