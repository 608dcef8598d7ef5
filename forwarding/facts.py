"""The projection of what a dossier says about a proposal's deliberation (from other services' events)."""
from __future__ import annotations

from forwarding.store import ProposalFacts
from services.db import atomically


def _apply(event: dict, change: dict) -> None:
    pid = event["payload"]["proposal_id"]
    atomically(lambda unit: unit.change(ProposalFacts, {"_id": pid}, change, upsert=True),
               consumer="forwarding.facts", cause=event)


def on_proposal_text(event: dict) -> None:
    p = event["payload"]
    change = {"summary": p["summary"]}
    if "language" in p:
        change["language"] = p["language"]
    _apply(event, {"$set": change})


def on_workshop_input(event: dict) -> None:
    p = event["payload"]
    _apply(event, {"$push": {"workshops": {k: p[k] for k in ("kind", "facilitator", "held_on", "participants",
                                                             "languages")}}})


def on_comment_posted(event: dict) -> None:
    _apply(event, {"$inc": {"comments": 1, f"alignment.{event['payload']['alignment']}": 1}})


def on_comment_hidden(event: dict) -> None:
    _apply(event, {"$inc": {"hidden": 1}})


def for_dossier(proposal_id: str) -> tuple[dict, dict]:
    """(proposal extras, deliberation) for building a dossier."""
    return _shaped(ProposalFacts.objects(id=proposal_id).first())


def for_dossiers(proposal_ids: list[str]) -> dict[str, tuple[dict, dict]]:
    """for_dossier of many proposals in one query."""
    found = {f.id: f for f in ProposalFacts.objects(id__in=proposal_ids)}
    return {pid: _shaped(found.get(pid)) for pid in proposal_ids}


def _shaped(facts: ProposalFacts | None) -> tuple[dict, dict]:
    if facts is None:
        return {}, {}
    deliberation = {"comments": max(0, facts.comments - facts.hidden),
                    "by_alignment": {k: facts.alignment.get(k, 0) for k in ("for", "against", "neutral")},
                    "workshops": list(facts.workshops)}
    return {"summary": facts.summary, "language": facts.language}, deliberation

