"""DEMO-ONLY ADJUSTMENT: move one forwarded conclusion into the past, so that its reply is overdue.

No public operation makes a reply overdue today: an institution's shortest deadline is one day
(`deadline_days` 1-365 in the directory), and forwarding's clock moves only in test deployments
(CIVIC_TEST_CLOCK). So the story writes, once, straight into the services' databases: the dossier's
dates (prepared, dispatched, acknowledged, due, its timeline) and its conclusion's move back by the
institution's deadline plus `days_late`, and the vote and the proposal behind it move back with it,
so that the proposal page tells one consistent story. The signed dossier document keeps the facts it was signed
with. Forwarding's own deadline job then finds the dossier past due and marks it overdue, as it
would any other (the reply_overdue step, the author's notification, the tracker's count).

Never call this outside the demo story: it rewrites history."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pymongo

from services.settings import get_settings

DATES = {"dossiers": ("created_at", "next_attempt_at", "dispatched_at", "acknowledged_at", "due_at"),
         "votes": ("opened_at", "closed_at"),
         "proposals": ("created_at", "submitted_at", "decided_at")}
VOTE_LASTED = timedelta(days=7)  # the moved vote was open a week before it closed
RECORDED_BEFORE = timedelta(days=80)  # the proposal came this long before its vote closed


def _moved(doc: dict, fields: tuple, by: timedelta) -> dict:
    return {name: doc[name] - by for name in fields if isinstance(doc.get(name), datetime)}


def _moved_at(text: str, by: timedelta) -> str:
    return (datetime.fromisoformat(text) - by).isoformat()


def make_overdue(proposal_id: str, institution_id: str, days_late: int) -> bool:
    """Backdate the conclusion of `proposal_id` sent to `institution_id` (once; False if already done
    or if the dossier is not waiting for a reply)."""
    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        voting = client[settings.database("voting")]
        vote = voting.votes.find_one({"_id": proposal_id})
        if vote is None or vote.get("closed_at") is None:
            return False
        closed = vote["closed_at"].replace(tzinfo=vote["closed_at"].tzinfo or UTC)
        if datetime.now(UTC) - closed > timedelta(days=1):
            return False  # moved already (the vote is the marker: it is moved last)
        forwarding = client[settings.database("forwarding")]
        dossier = forwarding.dossiers.find_one({"proposal_id": proposal_id, "institution_id": institution_id})
        if dossier is None or dossier.get("status") not in ("sent", "acknowledged") or not dossier.get("due_at"):
            return False
        by = dossier["due_at"] - dossier["dispatched_at"] + timedelta(days=days_late)
        change = _moved(dossier, DATES["dossiers"], by)
        change["timeline"] = [{**entry, "at": _moved_at(entry["at"], by)} if entry.get("at") else entry
                              for entry in dossier.get("timeline", [])]
        forwarding.dossiers.update_one({"_id": dossier["_id"]}, {"$set": change})
        conclusion = forwarding.conclusions.find_one({"_id": proposal_id}, {"reached_at": 1})
        if conclusion is not None and conclusion.get("reached_at"):
            forwarding.conclusions.update_one({"_id": proposal_id},
                                              {"$set": {"reached_at": conclusion["reached_at"] - by}})

        proposals = client[settings.database("proposals")]
        recorded = by + RECORDED_BEFORE
        found = proposals.proposals.find_one({"_id": proposal_id})
        if found is not None:
            proposals.proposals.update_one({"_id": proposal_id}, {"$set": _moved(found, DATES["proposals"], recorded)})
        for version in proposals.proposal_versions.find({"proposal_id": proposal_id}):
            proposals.proposal_versions.update_one({"_id": version["_id"]}, {"$set": {"at": version["at"] - recorded}})
        moved = {"closed_at": vote["closed_at"] - by, "opened_at": vote["closed_at"] - by - VOTE_LASTED}
        voting.votes.update_one({"_id": proposal_id}, {"$set": moved})
    return True
