"""Helpers the proposals use cases share: actors, loading within the caller's municipality,
emitting an event together with its audit entry."""
from __future__ import annotations

from proposals import domain
from proposals.store import AuditEntry, Block, ModerationSettings, Proposal
from services.auth import Caller
from services.db import Unit
from services.errors import NotFound
from services.events import Actor, make_event


def actor(caller: Caller) -> Actor:
    return Actor(caller.role, caller.id)


def emit(unit: Unit, caller: Caller | None, kind: str, aggregate_id: str, payload: dict,
         municipality: str | None = None) -> dict:
    event = make_event(kind, municipality=municipality or caller.municipality, aggregate_id=aggregate_id,
                       actor=actor(caller) if caller else Actor("system", None), payload=payload)
    unit.emit(event)
    return event


def audit(unit: Unit, event: dict, action: str, subject: str, *, from_status: str | None = None,
          to_status: str | None = None, reason: str | None = None) -> None:
    """One audit entry per decision, keyed by the decision's event id, in the same transaction."""
    unit.insert(AuditEntry(id=event["event_id"], municipality=event["municipality"], subject=subject,
                           action=action, actor_id=event["actor"]["id"], actor_role=event["actor"]["role"],
                           from_status=from_status, to_status=to_status, reason=reason))


def load(unit: Unit, caller: Caller, proposal_id: str) -> Proposal:
    """The proposal in the caller's municipality; others' look like they do not exist."""
    proposal = unit.get(Proposal, {"_id": proposal_id, "municipality": caller.municipality})
    if proposal is None or not domain.visible_to(proposal.status, proposal.author_id, caller.id, caller.role):
        raise NotFound("No such proposal.")
    return proposal


def settings_of(municipality: str) -> ModerationSettings:
    return ModerationSettings.objects(id=municipality).first() or ModerationSettings(id=municipality)


def is_blocked(municipality: str, user_id: str) -> bool:
    return Block.objects(id=f"{municipality}:{user_id}").first() is not None
