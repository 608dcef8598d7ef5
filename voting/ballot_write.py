"""What one ballot writes: its document (new, or replacing the voter's last), the change to its
gate's count, and its receipt; the same for a ballot cast alone and for one in a group."""
from __future__ import annotations

from typing import NamedTuple

from pymongo import InsertOne, UpdateOne

from services.auth import Caller
from services.db import utcnow
from services.settings import get_settings
from voting import counting, domain
from voting.ballots import voter_key

PREVIOUS = {"choice": 1, "version": 1, "sealed_voter": 1}  # what a new ballot needs of the one it replaces


class BallotIds(NamedTuple):
    voter: str  # the voter's pseudonym in this vote
    ballot: str
    gate: str


def ballot_ids(caller: Caller, vote_id: str) -> BallotIds:
    key = voter_key(caller.id, vote_id)
    return BallotIds(key, f"{vote_id}:{key}", f"{vote_id}:{domain.stripe(key)}")


def ballot_write(caller: Caller, vote_id: str, ids: BallotIds, choice: str, previous: dict | None) -> tuple:
    """What casting `choice` over the stored ballot `previous` (None: the first) writes: the ballot's
    write (None when the choice is the same), the change to its gate's count, and the receipt."""
    replaced = previous["choice"] if previous else None
    version = (previous.get("version", 1) if previous else 0) + (replaced != choice)
    code = domain.receipt_code(get_settings().service_secret.encode(), ids.ballot, version)
    write = None
    if previous is None:
        write = InsertOne({"_id": ids.ballot, "vote_id": vote_id, "voter": ids.voter, "choice": choice,
                           "sealed_voter": counting.seal(ids.ballot, caller.id), "cast_at": utcnow(),
                           "version": 1, "receipts": [domain.receipt_digest(code)]})
    elif replaced != choice:
        change = {"choice": choice, "cast_at": utcnow(), "version": version}
        if not previous.get("sealed_voter"):  # a ballot cast before participants were kept
            change["sealed_voter"] = counting.seal(ids.ballot, caller.id)
        write = UpdateOne({"_id": ids.ballot}, {"$set": change, "$push": {"receipts": domain.receipt_digest(code)}})
    receipt = {"proposal_id": vote_id, "choice": choice, "changed": previous is not None and replaced != choice,
               "receipt": code, "version": version}
    return write, counting.tally_change([replaced] if replaced else None, [choice]), receipt
