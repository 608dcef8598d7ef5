"""States of a vote and who may act on them, its window, the gates ballots pass, receipts. Pure: no I/O."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

from services.errors import Conflict, DomainError, Forbidden


PUBLISHED, OPEN, CLOSED = "published", "open", "closed"
GATES = 32  # stripes per vote (see store.BallotGate)


def stripe(voter_key: str) -> int:
    """The gate a voter's ballots go through: always the same one for the same voter."""
    return int(voter_key[:8], 16) % GATES


CHOICES = ("yes", "no", "abstain")


def empty_tally() -> dict:
    return {choice: 0 for choice in CHOICES}


def check_can_open(status: str, role: str) -> None:
    if role != "staff":
        raise Forbidden("Only municipal staff open votes.")
    if status != PUBLISHED:
        raise Conflict(f"The vote cannot be opened: it is {status}.", code="wrong_state")


def check_can_close(status: str, role: str) -> None:
    if role != "staff":
        raise Forbidden("Only municipal staff close votes.")
    if status != OPEN:
        raise Conflict(f"The vote cannot be closed: it is {status}.", code="wrong_state")


def check_can_cast(status: str, role: str) -> None:
    if role != "resident":
        raise Forbidden("Only residents vote.")
    if status != OPEN:
        if status == PUBLISHED:
            raise Conflict("Voting on this proposal has not opened yet.", code="not_open")
        raise Conflict("Voting on this proposal has closed.", code="closed")


def apply_ballot(tally: dict, choice: str, replaced: str | None) -> dict:
    """The live tally after one ballot (a changed ballot moves one count)."""
    result = dict(tally)
    result[choice] += 1
    if replaced:
        result[replaced] -= 1
    return result


# --- windows -----------------------------------------------------------------

def check_window(status: str, role: str, opens_at: datetime | None, closes_at: datetime | None,
                 current_opens_at: datetime | None, now: datetime) -> None:
    """Staff schedule a window: it closes after it opens and in the future; an open vote keeps its opening."""
    if role != "staff":
        raise Forbidden("Only municipal staff schedule votes.")
    if status == CLOSED:
        raise Conflict("The vote has closed; its window cannot change.", code="wrong_state")
    errors = {}
    if status == OPEN and opens_at is not None and opens_at != current_opens_at:
        errors["opens_at"] = ["The vote is already open."]
    if closes_at is not None and closes_at <= now:
        errors["closes_at"] = ["Must be in the future."]
    start = opens_at or current_opens_at
    if closes_at is not None and start is not None and closes_at <= start:
        errors["closes_at"] = ["Must be after opens_at."]
    if errors:
        raise DomainError("The voting window is not valid.", errors={"json": errors})


def due(status: str, opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> str | None:
    """What the clock says to do with a vote now: "open", "close" or nothing."""
    if status == PUBLISHED and opens_at is not None and opens_at <= now:
        return "close" if closes_at is not None and closes_at <= now else "open"
    if status == OPEN and closes_at is not None and closes_at <= now:
        return "close"
    return None


# --- receipts ----------------------------------------------------------------

def receipt_code(secret: bytes, ballot_id: str, version: int) -> str:
    """A code only the voter is shown: it names one version of one ballot and nothing else."""
    raw = hmac.new(secret, f"receipt:{ballot_id}:{version}".encode(), hashlib.sha256).digest()[:10]
    text = base64.b32encode(raw).decode()
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


def receipt_digest(code: str) -> str:
    """What is stored to find a receipt: its hash, so a database reader cannot present it."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()
