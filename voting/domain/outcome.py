"""Outcome rules: majorities, ties, quorums, and the decision a closed vote's count gives. Pure: no I/O."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from fractions import Fraction

from services.errors import DomainError

from voting.domain.states import OPEN


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
