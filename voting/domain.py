"""Pure rules of votes: states, eligibility to act, outcome (no I/O)."""
from __future__ import annotations

from services.errors import Conflict, Forbidden

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


def outcome(tally: dict, quorum: int) -> str:
    """Adopted when turnout reaches the quorum and yes outnumber no; a tie is rejected."""
    ballots = sum(tally.values())
    if ballots < max(quorum, 1):
        return "no_quorum"
    return "adopted" if tally["yes"] > tally["no"] else "rejected"
