"""Group commit of ballots: the ballots that arrive while one group is being written are written
next, together, in one transaction: their voters' eligibility in two queries, the ballots they
replace in one, their gates' counts in one write, the ballots in one or two, one commit. So the
database sees a handful of commands per group instead of about seven per ballot, and the rush at
a vote's close queues in memory for a few milliseconds instead of in write conflicts.

The guarantees are those of a ballot cast alone (`casting.cast_alone`): every ballot of the group
goes through its voter's gate, which must be open in the voter's municipality, in the same
transaction as the ballot and its count; a request is answered only after its group committed, so
a crash loses no answered ballot, and a group that did not commit is answered by nobody. A voter's
second ballot in one group waits for the next (so that it replaces the first). A ballot the group
cannot take (its voter not eligible, its gate shut, any error) is cast alone by its own request,
for the precise answer that path gives."""
from __future__ import annotations

import logging
import os
import queue
import threading
from collections import Counter
from dataclasses import dataclass, field

from pymongo import UpdateOne

from services import metrics
from services.auth import Caller
from services.db import Unit, atomically
from voting import eligibility
from voting.ballot_write import PREVIOUS, ballot_ids, ballot_write
from voting.store import Ballot, BallotGate

log = logging.getLogger(__name__)
MAX_GROUP = 64
WAIT_SECONDS = 30  # a request whose group has not committed by then is cast alone (same choice: no change)


@dataclass
class Pending:
    caller: Caller
    vote_id: str
    choice: str
    ballot_id: str
    gate_id: str
    done: threading.Event = field(default_factory=threading.Event)
    receipt: dict | None = None  # None once done: cast it alone


class GateShut(Exception):
    """A gate of the group is shut (or not in the voter's municipality): the group is undone."""


class GroupCommit:
    """One writer thread per process that takes whatever ballots are waiting and writes them as one."""

    def __init__(self):
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()

    def cast(self, caller: Caller, vote_id: str, choice: str) -> dict | None:
        """The receipt, once the caller's ballot has committed in a group; None: cast it alone."""
        ballot_id, gate_id = ballot_ids(caller, vote_id)
        item = Pending(caller, vote_id, choice, ballot_id, gate_id)
        self._writer().put(item)
        item.done.wait(WAIT_SECONDS)
        return item.receipt

    def _writer(self) -> queue.SimpleQueue:
        if self._pid != os.getpid():  # first use, or a forked worker: the parent's thread is not here
            with self._lock:
                if self._pid != os.getpid():
                    self._queue = queue.SimpleQueue()
                    threading.Thread(target=self._run, args=(self._queue,), name="ballot-group-commit",
                                     daemon=True).start()
                    self._pid = os.getpid()
        return self._queue

    def _run(self, waiting: queue.SimpleQueue) -> None:
        while True:
            group = [waiting.get()]
            while len(group) < MAX_GROUP and not waiting.empty():
                group.append(waiting.get())
            now, seen = [], set()
            for item in group:
                if item.ballot_id in seen:
                    waiting.put(item)  # the same voter again: in the next group, after this one
                else:
                    seen.add(item.ballot_id)
                    now.append(item)
            receipts = commit(now)
            for item in now:
                item.receipt = receipts.get(id(item))
                item.done.set()


def commit(group: list[Pending]) -> dict[int, dict]:
    """Write the group's ballots of eligible voters in one transaction: their receipts by id(item);
    nothing when it could not commit (each is then cast alone)."""
    try:
        voters = eligibility.on_register(item.caller for item in group)
        group = [item for item in group if item.caller.id in voters]
        receipts = atomically(lambda unit: _write(unit, group)) if group else {}
        if receipts:
            metrics.BALLOT_GROUPS.observe(len(receipts))
        return receipts
    except GateShut:
        return {}
    except Exception:  # the database away, a conflict not resolved...: each ballot alone says what
        log.warning("a group of %d ballots did not commit; each is cast alone", len(group), exc_info=True)
        return {}


def _write(unit: Unit, group: list[Pending]) -> dict[int, dict]:
    coll = Ballot._get_collection()
    previous = {row["_id"]: row for row in coll.find({"_id": {"$in": [item.ballot_id for item in group]}},
                                                     PREVIOUS, session=unit.session)}
    writes, receipts, counts = [], {}, {}
    for item in group:
        write, change, receipt = ballot_write(item.caller, item.vote_id, item.choice, previous.get(item.ballot_id))
        if write is not None:
            writes.append(write)
        count = counts.setdefault((item.gate_id, item.caller.municipality), Counter())
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


GROUPS = GroupCommit()


def cast(caller: Caller, vote_id: str, choice: str) -> dict | None:
    return GROUPS.cast(caller, vote_id, choice)
