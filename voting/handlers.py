"""Use cases of the voting service: the event consumers here; votes in `ballots`, the register and
verification in `eligibility`, comments in `deliberation`. Re-exported so callers import one module."""
from __future__ import annotations

import logging

from services import metrics
from services.db import Unit, atomically
from voting import domain
from voting.ballots import (  # noqa: F401
    ANONYMOUS_VOTER,
    cast_ballot,
    check_receipt,
    close_voting,
    count_ballots,
    get_process_rules,
    open_voting,
    results,
    run_windows,
    set_process_rules,
    set_vote_rules,
    set_window,
    support,
    voter_key,
)
from voting.store import LiveTally, Vote

log = logging.getLogger(__name__)


def on_proposal_published(event: dict) -> None:
    p = event["payload"]

    def work(unit: Unit) -> None:
        unit.save(Vote(id=p["proposal_id"], municipality=event["municipality"], process_id=p["process_id"],
                       title=p["title"], theme=p["theme"], competence=p["competence"], author_id=p["author_id"]))

    atomically(work, consumer="voting.projection", cause=event)


def on_vote_cast(event: dict) -> None:
    p = event["payload"]
    change = {p["choice"]: 1}
    if p.get("replaced"):
        change[p["replaced"]] = change.get(p["replaced"], 0) - 1
    atomically(lambda unit: unit.update(LiveTally, {"_id": p["proposal_id"]}, {"$inc": change}, upsert=True),
               consumer="voting.tally", cause=event)


def on_voting_closed(event: dict) -> None:
    """Every vote_cast of this vote precedes this event on its partition: the live count must match."""
    vote_id = event["payload"]["proposal_id"]

    def work(unit: Unit) -> None:
        vote = unit.get(Vote, {"_id": vote_id})
        live = unit.get(LiveTally, {"_id": vote_id})
        live_tally = live.as_dict() if live else domain.empty_tally()
        if vote and vote.final_tally != live_tally:
            metrics.TALLY_MISMATCH.labels("voting").inc()
            log.error("TALLY MISMATCH on %s: final %s, live %s", vote_id, vote.final_tally, live_tally)

    atomically(work, consumer="voting.tally-check", cause=event)


def seed_demo() -> None:
    """Idrija's demo register of eligible residents (idempotent)."""
    from voting import eligibility

    eligibility.seed_demo()
