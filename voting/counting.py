"""The running count and the list of participants, both kept inside the voting service (issue 8).

A ballot adds its change of choice to its gate's counters in the ballot's own transaction: no
choice-carrying event goes on the shared bus, where its moment and its order could be joined with
whatever names the voter. The live tally is the sum over the vote's gates; at the close it must
equal the recount from the ballots (the worker's tally check raises the alarm otherwise).

The ballot also keeps the voter's account id sealed (AES-GCM under a key derived from the service
secret), so that at the close the service can publish who took part, sorted and without choices,
for notifications to subscribe them. Someone holding the database without the secret learns
nothing new; someone holding both could already recompute the pseudonyms (docs/voting.md)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections import Counter
from typing import Iterable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.db import Unit
from services.events import PARTICIPANTS_PER_EVENT, follow_up
from services.settings import get_settings
from voting.store import BallotGate


def tally_change(before: Iterable[str] | None, after: Iterable[str]) -> dict[str, int]:
    """What replacing the choices `before` (None: no ballot yet) by `after` does to the counts."""
    change = Counter(after)
    change.subtract(Counter(before or ()))
    return {option: n for option, n in change.items() if n}


def count_on_gate(unit: Unit, gate_id: str, change: dict[str, int]) -> None:
    """Add a ballot's change to its gate's counters, inside the ballot's transaction."""
    if change:
        unit.coll(BallotGate).update_one({"_id": gate_id}, {"$inc": {f"tally.{k}": n for k, n in change.items()}},
                                         session=unit.session)


def live_tally(vote_id: str, options: Iterable[str], unit: Unit | None = None) -> dict[str, int]:
    """The running count of a vote: its gates' counters summed (every option present, zeros included)."""
    total = {option: 0 for option in options}
    rows = BallotGate._get_collection().find({"vote_id": vote_id}, {"tally": 1},
                                             session=unit.session if unit else None)
    for row in rows:
        for option, n in (row.get("tally") or {}).items():
            total[option] = total.get(option, 0) + n
    return {option: n for option, n in total.items() if n or option in options}


def _key() -> bytes:
    return hmac.new(get_settings().service_secret.encode(), b"voting:sealed-voter", hashlib.sha256).digest()


def seal(ballot_id: str, user_id: str) -> str:
    """The voter's account id, readable only with the service secret, bound to this ballot."""
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(_key()).encrypt(nonce, user_id.encode(), ballot_id.encode())).decode()


def unseal(ballot_id: str, sealed: str) -> str:
    raw = base64.b64decode(sealed)
    return AESGCM(_key()).decrypt(raw[:12], raw[12:], ballot_id.encode()).decode()


def participants(unit: Unit, collection, vote_id: str) -> list[str]:
    """Who cast a ballot in this vote (account ids, sorted): in no order that ballots were cast."""
    rows = collection.find({"vote_id": vote_id, "sealed_voter": {"$ne": None}}, {"sealed_voter": 1},
                           session=unit.session)
    return sorted({unseal(row["_id"], row["sealed_voter"]) for row in rows})


def participant_events(closed: dict, vote_id: str, who: list[str]) -> list[dict]:
    """`voting.participants_listed` in parts, caused by the close (nothing when nobody voted)."""
    parts = [who[n:n + PARTICIPANTS_PER_EVENT] for n in range(0, len(who), PARTICIPANTS_PER_EVENT)]
    return [follow_up(closed, "voting.participants_listed", aggregate_id=vote_id, payload={
        "proposal_id": vote_id, "participants": part, "part": n, "parts": len(parts)})
        for n, part in enumerate(parts, start=1)]
