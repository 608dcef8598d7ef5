"""Use cases of the voting service: the event consumers here; votes in `ballots` and `results`, the
running count in `counting`, the register and verification in `eligibility`, comments in
`deliberation`. Re-exported so callers import one module."""
from __future__ import annotations

import logging

from services import metrics
from services.db import Unit, atomically, utcnow
from voting import counting, domain
from voting.ballots import (  # noqa: F401
    ANONYMOUS_VOTER,
    close_voting,
    count_ballots,
    get_process_rules,
    open_voting,
    run_windows,
    set_process_rules,
    set_vote_rules,
    set_window,
    voter_key,
)
from voting.casting import cast_ballot  # noqa: F401
from voting.results import check_receipt, results, support  # noqa: F401
from voting.store import Vote

log = logging.getLogger(__name__)


def on_proposal_published(event: dict) -> None:
    p = event["payload"]

    def work(unit: Unit) -> None:
        unit.save(Vote(id=p["proposal_id"], municipality=event["municipality"], process_id=p["process_id"],
                       title=p["title"], theme=p["theme"], competence=p["competence"], author_id=p["author_id"]))

    atomically(work, consumer="voting.projection", cause=event)


def on_voting_closed(event: dict) -> None:
    """The running count kept by the ballots on the gates (shut since the close) must equal the recount
    from the ballots stored at the close: a difference means a lost or double-counted ballot."""
    vote_id = event["payload"]["proposal_id"]

    def work(unit: Unit) -> None:
        vote = unit.get(Vote, {"_id": vote_id})
        live_tally = counting.live_tally(vote_id, domain.CHOICES, unit)
        if vote is None:
            return
        matched = vote.final_tally == live_tally
        if not matched:
            metrics.TALLY_MISMATCH.labels("voting").inc()
            log.error("TALLY MISMATCH on %s: final %s, live %s", vote_id, vote.final_tally, live_tally)
        # Kept on the vote, so that staff see the check's verdict with the result.
        unit.change(Vote, {"_id": vote_id}, {"$set": {"tally_check": "matched" if matched else "mismatch",
                                                     "tally_checked_at": utcnow()}})

    atomically(work, consumer="voting.tally-check", cause=event)


def seed_demo() -> None:
    """Idrija's demo register of eligible residents (idempotent)."""
    from voting import eligibility

    eligibility.seed_demo()
