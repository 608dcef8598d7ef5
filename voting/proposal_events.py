"""Voting's reaction to proposals being hidden, withdrawn and restored (issue 3).

A vote that has not opened yet must not open for a proposal that is hidden or withdrawn;
restoring a hidden proposal makes its vote openable again. A vote already open or closed is
left as it is: stopping a running vote is a decision for staff in the voting service."""
from __future__ import annotations

import logging

from services.db import atomically
from voting import domain
from voting.store import Vote

log = logging.getLogger(__name__)
SUSPENDED = {"proposals.proposal_hidden": "hidden", "proposals.proposal_withdrawn": "withdrawn"}


def on_proposal_suspended(event: dict) -> None:
    """proposal_hidden / proposal_withdrawn: a vote not yet open cannot be opened any more."""
    pid, status = event["payload"]["proposal_id"], SUSPENDED[event["event_type"]]

    def work(unit) -> None:
        changed = unit.change(Vote, {"_id": pid, "status": domain.PUBLISHED}, {"$set": {"status": status}})
        if not changed and unit.get(Vote, {"_id": pid}) is not None:
            log.warning("proposal %s is %s but its vote is already under way; left as it is", pid, status)

    atomically(work, consumer="voting.proposal_status", cause=event)


def on_proposal_restored(event: dict) -> None:
    pid = event["payload"]["proposal_id"]
    atomically(lambda unit: unit.change(Vote, {"_id": pid, "status": "hidden"},
                                        {"$set": {"status": domain.PUBLISHED}}),
               consumer="voting.proposal_status", cause=event)


HANDLERS = {
    "proposals.proposal_hidden": on_proposal_suspended,
    "proposals.proposal_withdrawn": on_proposal_suspended,
    "proposals.proposal_restored": on_proposal_restored,
}
