"""Pure rules of votes: states, who may act, windows, outcome rules, eligibility, receipts (no I/O)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from fractions import Fraction
from typing import Callable, Protocol

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


# --- outcome rules -----------------------------------------------------------

MAJORITIES = ("simple", "absolute", "qualified")
TIE_RULES = ("rejected", "adopted")


@dataclass(frozen=True)
class Rules:
    """How a vote is decided; set per process, overridable per vote before it opens.

    - quorum_ballots: at least this many ballots (abstentions count);
    - quorum_percent: and at least this share of the register (0 = no such condition);
    - majority: "simple" (yes > no), "absolute" (yes > half of all ballots, abstentions too) or
      "qualified" (yes >= qualified_fraction of yes + no);
    - tie: what an exact tie under a simple or absolute majority means;
    - live_results: whether anyone may see the running count while the vote is open;
    - support_threshold: supports that move a published proposal to the vote (0 = staff only).
    """

    quorum_ballots: int = 1
    quorum_percent: float = 0.0
    majority: str = "simple"
    qualified_fraction: float = 2 / 3
    tie: str = "rejected"
    live_results: bool = False
    support_threshold: int = 0

    def merged(self, changes: dict | None) -> "Rules":
        known = {f.name for f in fields(self)}
        return check_rules(replace(self, **{k: v for k, v in (changes or {}).items() if k in known}))

    def as_dict(self) -> dict:
        return asdict(self)


def check_rules(rules: Rules) -> Rules:
    errors = {}
    if rules.majority not in MAJORITIES:
        errors["majority"] = [f"Must be one of: {', '.join(MAJORITIES)}."]
    if rules.tie not in TIE_RULES:
        errors["tie"] = [f"Must be one of: {', '.join(TIE_RULES)}."]
    if not 0.5 <= rules.qualified_fraction <= 1:
        errors["qualified_fraction"] = ["Must be between 0.5 and 1."]
    if not 0 <= rules.quorum_percent <= 100:
        errors["quorum_percent"] = ["Must be between 0 and 100."]
    if rules.quorum_ballots < 0 or rules.support_threshold < 0:
        errors["quorum_ballots" if rules.quorum_ballots < 0 else "support_threshold"] = ["Must not be negative."]
    if errors:
        raise DomainError("The voting rules are not valid.", errors={"json": errors})
    return rules


@dataclass(frozen=True)
class Decision:
    outcome: str  # adopted | rejected | no_quorum
    ballots: int
    electorate: int | None
    turnout: float | None  # share of the register, 0..1
    quorum_met: bool
    tie: bool


def decide(tally: dict, rules: Rules, electorate: int | None = None) -> Decision:
    """Apply quorum, majority and tie rules to a final tally."""
    ballots = sum(tally.values())
    turnout = round(ballots / electorate, 6) if electorate else None
    quorum_met = ballots >= max(rules.quorum_ballots, 1)
    if rules.quorum_percent > 0:
        quorum_met = quorum_met and bool(electorate) and ballots * 100 >= rules.quorum_percent * electorate
    if not quorum_met:
        return Decision("no_quorum", ballots, electorate, turnout, False, False)
    yes, no = tally.get("yes", 0), tally.get("no", 0)
    tie = False
    if rules.majority == "qualified":
        needed = Fraction(rules.qualified_fraction).limit_denominator(1000)
        adopted = yes > 0 and yes >= needed * (yes + no)
    else:
        against = no if rules.majority == "simple" else ballots - yes
        tie = yes == against
        adopted = yes > against or (tie and yes > 0 and rules.tie == "adopted")
    return Decision("adopted" if adopted else "rejected", ballots, electorate, turnout, True, tie)


# Whose register the electorate is. A vote counts the eligible residents on the register when it
# opens, frozen with its rules: the quorum's share then means a number of ballots known from the
# start, which no import during the vote can move. Votes opened before that was kept are counted
# at the close.
ELECTORATE_AT_OPENING, ELECTORATE_AT_CLOSE = "register_at_opening", "register_at_close"


def quorum_needed(rules: Rules, electorate: int | None) -> int | None:
    """The fewest ballots that meet the quorum (as `decide` draws it); None when no count can."""
    needed = max(rules.quorum_ballots, 1)
    if rules.quorum_percent > 0:
        if not electorate:
            return None
        share = max(0, math.ceil(rules.quorum_percent * electorate / 100))
        while share > 0 and (share - 1) * 100 >= rules.quorum_percent * electorate:
            share -= 1  # float rounding: stay exactly on decide's line
        while share * 100 < rules.quorum_percent * electorate:
            share += 1
        needed = max(needed, share)
    return needed


def conclusion_facts(decision: Decision, rules: Rules, electorate_basis: str) -> dict:
    """What a conclusion says of its vote besides the tally: the frozen rules, the electorate, turnout
    as a share of it, the quorum in ballots (voting.conclusion_reached v2)."""
    frozen = {key: getattr(rules, key) for key in ("majority", "qualified_fraction", "tie", "quorum_ballots",
                                                   "quorum_percent")}
    return {"rules": {**frozen, "electorate": electorate_basis}, "electorate": decision.electorate,
            "turnout": decision.turnout, "quorum_needed": quorum_needed(rules, decision.electorate),
            "quorum_met": decision.quorum_met, "tie": decision.tie, "majority": rules.majority}


def outcome(tally: dict, quorum: int) -> str:
    """Adopted when turnout reaches the quorum and yes outnumber no; a tie is rejected."""
    return decide(tally, Rules(quorum_ballots=quorum)).outcome


def check_results_visible(status: str, role: str, rules: Rules) -> bool:
    """Whether the caller may see the running count of an open vote (staff always may)."""
    return status == OPEN and (role == "staff" or rules.live_results)


# --- eligibility -------------------------------------------------------------

REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9/-]{2,39}$")


class RowRejected(ValueError):
    """A register row that cannot be imported, with the reason."""


def normalise_reference(value: str | None) -> str:
    return re.sub(r"\s+", "", (value or "")).upper()


def parse_birth_date(value: str | None, today: date) -> date:
    text = (value or "").strip()
    if not text:
        raise RowRejected("date_of_birth is missing")
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            born = datetime.strptime(text, pattern).date()
            break
        except ValueError:
            continue
    else:
        raise RowRejected(f"date_of_birth {text!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)")
    if born > today:
        raise RowRejected("date_of_birth is in the future")
    if born.year < 1900:
        raise RowRejected("date_of_birth is before 1900")
    return born


def check_row(row: dict, today: date, seen: set) -> tuple[str, date]:
    """(reference, birth date) of one register row, or RowRejected with the reason."""
    reference = normalise_reference(row.get("reference"))
    if not reference:
        raise RowRejected("reference is missing")
    if not REFERENCE.match(reference):
        raise RowRejected(f"reference {reference!r} is not 3-40 letters, digits, '-' or '/'")
    if reference in seen:
        raise RowRejected(f"reference {reference} appears twice in the file")
    born = parse_birth_date(row.get("date_of_birth"), today)
    seen.add(reference)
    return reference, born


class EligibilityRule(Protocol):
    """How a resident proves they are a given register entry. Pluggable: an eID rule would check a
    signed assertion instead and name the entry it vouches for."""

    name: str
    evidence: tuple[str, ...]

    def reference(self, evidence: dict) -> str:
        """The register entry the evidence claims."""

    def matches(self, entry: dict, evidence: dict, digest: Callable[[str], str]) -> bool:
        """Whether the evidence proves the entry (digest: the service's keyed hash)."""


class RegisterAndBirthDate:
    """The register reference printed on the resident's notice, plus their date of birth."""

    name = "register_birth_date"
    evidence = ("reference", "date_of_birth")

    def reference(self, evidence: dict) -> str:
        return normalise_reference(evidence.get("reference"))

    def matches(self, entry: dict, evidence: dict, digest: Callable[[str], str]) -> bool:
        try:
            born = parse_birth_date(evidence.get("date_of_birth"), date.max)
        except RowRejected:
            return False
        return hmac.compare_digest(entry.get("birth_digest", ""), digest(born.isoformat()))


RULES: dict[str, EligibilityRule] = {RegisterAndBirthDate.name: RegisterAndBirthDate()}


def check_can_vote(role: str, verified_municipality: str | None, municipality: str, on_register: bool) -> None:
    """Only verified residents who are on this municipality's register vote (403 otherwise)."""
    if role != "resident":
        raise Forbidden("Only residents vote.")
    if verified_municipality is None:
        raise Forbidden("Verify that you are on the municipality's register of eligible residents before "
                        "you vote: POST /api/v1/eligibility/verification.", code="not_verified")
    if verified_municipality != municipality or not on_register:
        raise Forbidden("You are not on this municipality's register of eligible residents.",
                        code="not_eligible")


# --- receipts ----------------------------------------------------------------

def receipt_code(secret: bytes, ballot_id: str, version: int) -> str:
    """A code only the voter is shown: it names one version of one ballot and nothing else."""
    raw = hmac.new(secret, f"receipt:{ballot_id}:{version}".encode(), hashlib.sha256).digest()[:10]
    text = base64.b32encode(raw).decode()
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


def receipt_digest(code: str) -> str:
    """What is stored to find a receipt: its hash, so a database reader cannot present it."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


# --- deliberation ------------------------------------------------------------

ALIGNMENTS = ("for", "against", "neutral")
VISIBLE, DELETED, HIDDEN = "visible", "deleted", "hidden"
MAX_DEPTH = 6


def check_can_comment(role: str, vote_status: str) -> None:
    if role not in ("resident", "staff"):
        raise Forbidden("Only residents and municipal staff take part in the deliberation.")
    if vote_status == CLOSED:
        raise Conflict("The deliberation ended when the vote closed.", code="closed")
    if vote_status not in (PUBLISHED, OPEN):
        raise Conflict(f"The proposal is {vote_status}: it is not open for deliberation.", code="wrong_state")


def reply_depth(parent_depth: int | None) -> int:
    """Depth of a new comment under a parent (None: a top-level comment); threads stay readable."""
    if parent_depth is None:
        return 0
    if parent_depth + 1 > MAX_DEPTH:
        raise DomainError("Replies nest at most six deep; reply higher up the thread.",
                          errors={"json": {"parent_id": ["Too deep."]}})
    return parent_depth + 1


def check_can_edit(author_id: str, caller_id: str, status: str, posted_at: datetime, now: datetime,
                   window_minutes: int) -> None:
    if author_id != caller_id:
        raise Forbidden("Only the author edits a comment.")
    if status != VISIBLE:
        raise Conflict(f"The comment is {status}.", code="wrong_state")
    if (now - posted_at).total_seconds() > window_minutes * 60:
        raise Conflict(f"Comments can be edited for {window_minutes} minutes after posting.", code="wrong_state")


def check_can_delete(author_id: str, caller_id: str, status: str) -> None:
    if author_id != caller_id:
        raise Forbidden("Only the author deletes a comment; staff hide comments with a reason.")
    if status == DELETED:
        raise Conflict("The comment is already deleted.", code="wrong_state")


def check_can_hide(role: str, status: str, reason: str) -> None:
    if role != "staff":
        raise Forbidden("Only municipal staff hide comments.")
    if not (reason or "").strip():
        raise DomainError("Say why the comment is hidden.", errors={"json": {"reason": ["Required."]}})
    if status != VISIBLE:
        raise Conflict(f"The comment is {status}.", code="wrong_state")


def check_can_endorse(role: str, author_id: str, caller_id: str, status: str) -> None:
    if role != "resident":
        raise Forbidden("Only residents endorse arguments.")
    if author_id == caller_id:
        raise Conflict("You cannot endorse your own comment.", code="wrong_state")
    if status != VISIBLE:
        raise Conflict(f"The comment is {status}.", code="wrong_state")


def top_arguments(comments: list[dict], per_side: int = 3) -> dict:
    """The most endorsed visible arguments for and against (ties: the earlier first)."""
    result = {}
    for side in ("for", "against"):
        mine = [c for c in comments if c["alignment"] == side and c["status"] == VISIBLE]
        mine.sort(key=lambda c: (-c.get("endorsements", 0), c["posted_at"]))
        result[side] = mine[:per_side]
    return result


def argument_counts(comments: list[dict]) -> dict:
    counts = {side: 0 for side in ALIGNMENTS}
    for comment in comments:
        if comment["status"] == VISIBLE:
            counts[comment["alignment"]] += 1
    return counts


# --- approval ballots ----------------------------------------------------------

def check_selections(selections: list[str], options: list[str], max_selections: int) -> list[str]:
    """An approval ballot: distinct known options, at most `max_selections` (none at all is a blank ballot)."""
    chosen = list(dict.fromkeys(selections))
    errors = []
    if len(chosen) != len(selections):
        errors.append("Each measure may be selected once.")
    unknown = [s for s in chosen if s not in options]
    if unknown:
        errors.append(f"Unknown measures: {', '.join(unknown)}.")
    if len(chosen) > max_selections:
        errors.append(f"Select at most {max_selections}.")
    if errors:
        raise DomainError("The ballot is not valid.", errors={"json": {"selections": errors}})
    return sorted(chosen)


def apply_approval(tally: dict, selections: list[str], replaced: list[str] | None) -> dict:
    result = dict(tally)
    for option in selections:
        result[option] = result.get(option, 0) + 1
    for option in replaced or ():
        result[option] = result.get(option, 0) - 1
    return result


def rank(tally: dict, options: list[str]) -> list[str]:
    """Measures by approvals, most first; equal approvals keep the order of the ballot paper."""
    return sorted(options, key=lambda o: (-tally.get(o, 0), options.index(o)))
