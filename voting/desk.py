"""The staff's list of their municipality's votes: by state (ready to schedule, scheduled, open,
closed), filtered and paged, with the counts per state and what needs attention within a day.
It shows windows and counts only, never who voted."""
from __future__ import annotations

from datetime import timedelta

from services.auth import Caller
from services.db import utcnow
from services.errors import Forbidden
from voting import domain
from voting.store import BallotGate, Vote

SOON = timedelta(hours=24)
# Each state's query and order: what comes first is what needs the staff first.
ORDERS = {"ready": ("-supports", "title"), "scheduled": ("opens_at", "id"), "open": ("closes_at", "opened_at"),
          "closed": ("-closed_at", "id")}


def _in_state(municipality: str, state: str):
    mine = Vote.objects(municipality=municipality)
    if state == "ready":
        return mine(status=domain.PUBLISHED, opens_at=None)
    if state == "scheduled":
        return mine(status=domain.PUBLISHED, opens_at__ne=None)
    return mine(status=domain.OPEN if state == "open" else domain.CLOSED)


def _filtered(query, state: str, args: dict):
    for name in ("process_id", "competence"):
        if args.get(name):
            query = query(**{name: args[name]})
    if args.get("tally_check"):
        check = args["tally_check"]
        query = query(status=domain.CLOSED, tally_check=None if check == "pending" else check)
    if args.get("before") is not None:
        query = query(opens_at__lte=args["before"]) if state in ("ready", "scheduled") else \
            query(closes_at__ne=None, closes_at__lte=args["before"])
    return query


def ballots_so_far(vote_ids: list[str]) -> dict[str, int]:
    """Ballots in each open vote: its gates' running counts summed (no ballot is read)."""
    totals = {vote_id: 0 for vote_id in vote_ids}
    for row in BallotGate._get_collection().find({"vote_id": {"$in": vote_ids}}, {"vote_id": 1, "tally": 1}):
        totals[row["vote_id"]] += sum((row.get("tally") or {}).values())
    return totals


def _state_of(vote: Vote) -> str:
    if vote.status == domain.PUBLISHED:
        return "scheduled" if vote.opens_at else "ready"
    return vote.status


def _item(vote: Vote, running: dict[str, int]) -> dict:
    closed = vote.status == domain.CLOSED
    ballots = sum((vote.final_tally or {}).values()) if closed else running.get(vote.id)
    return {"proposal_id": vote.id, "title": vote.title, "process_id": vote.process_id, "theme": vote.theme,
            "competence": vote.competence, "status": vote.status, "state": _state_of(vote),
            "opens_at": vote.opens_at, "closes_at": vote.closes_at, "opened_at": vote.opened_at,
            "closed_at": vote.closed_at, "ballots": ballots, "supports": vote.supports or 0,
            "electorate": vote.electorate if closed else vote.opening_electorate,
            "outcome": vote.outcome, "tally_check": vote.tally_check}


def list_votes(caller: Caller, args: dict) -> dict:
    """One state's votes of the caller's municipality, with filters, a page, and the counts."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff list the votes.")
    state, page, per_page = args["state"], args["page"], args["per_page"]
    query = _filtered(_in_state(caller.municipality, state), state, args)
    found = list(query.order_by(*ORDERS[state]).skip((page - 1) * per_page).limit(per_page))
    running = ballots_so_far([v.id for v in found if v.status == domain.OPEN])
    soon, m = utcnow() + SOON, caller.municipality
    return {"items": [_item(v, running) for v in found], "page": page, "per_page": per_page,
            "total": query.count(), "counts": {s: _in_state(m, s).count() for s in ORDERS},
            "attention": {"opening_soon": _in_state(m, "scheduled")(opens_at__lte=soon).count(),
                          "closing_soon": _in_state(m, "open")(closes_at__ne=None, closes_at__lte=soon).count(),
                          "tally_mismatch": _in_state(m, "closed")(tally_check="mismatch").count()}}
