"""Follows: who hears about a proposal besides its author (supporters, voters, followers)."""
from __future__ import annotations

from notifications.store import Follow
from services.auth import Caller
from services.db import utcnow
from services.errors import Forbidden


def follow(caller: Caller, proposal_id: str, reason: str) -> dict:
    """Idempotent: the first reason is kept."""
    if caller.role in ("anonymous", "system"):
        raise Forbidden("Sign in to follow a proposal.")
    Follow.objects(id=f"{proposal_id}:{caller.id}").update_one(
        upsert=True, set_on_insert__proposal_id=proposal_id, set_on_insert__user_id=caller.id,
        set_on_insert__reason=reason, set_on_insert__at=utcnow())
    return {"proposal_id": proposal_id, "following": True}


def unfollow(caller: Caller, proposal_id: str) -> dict:
    Follow.objects(id=f"{proposal_id}:{caller.id}").delete()
    return {"proposal_id": proposal_id, "following": False}


def followers(proposal_id: str) -> list[str]:
    return [f.user_id for f in Follow.objects(proposal_id=proposal_id).only("user_id").order_by("user_id")]


def follows_of(caller: Caller) -> dict:
    """What the caller follows and why (supported, voted, followed), for their data download."""
    rows = Follow.objects(user_id=caller.id).order_by("at")
    return {"follows": [{"proposal_id": f.proposal_id, "reason": f.reason, "at": f.at} for f in rows]}
