"""Use cases of the forwarding service, by area:

- `institutions`: the directory (seed, staff edits, API keys);
- `dossiers`: routing a conclusion, staff review, building and signing the dossier;
- `delivery`: webhook / e-mail / manual delivery, retries, circuit breaker, abandonment;
- `replies`: acknowledgements and replies by signed link, API key, account or post;
- `deadlines`: reminders, overdue and escalation on the deadline clock;
- `tracker`: the public tracker (one municipality or all), per-institution figures;
- `grouping` / `groups`: cross-municipality groups of similar conclusions.
"""
from __future__ import annotations

from forwarding import domain
from forwarding.deadlines import check_deadlines
from forwarding.delivery import dispatch_due, mark_sent, retry_dossier
from forwarding.conclusions import on_conclusion_reached
from forwarding.dossiers import get_policy, review, set_policy
from forwarding.institutions import (
    create_institution,
    issue_api_key,
    list_institutions,
    seed_demo,
    update_institution,
)
from forwarding.keys import public_keys
from forwarding.replies import published_replies
from forwarding.store import Dossier
from forwarding.tracker import tracker
from services.auth import Caller

__all__ = ["check_deadlines", "create_institution", "dispatch_due", "get_policy", "issue_api_key",
           "list_dossiers", "list_institutions", "mark_sent", "on_conclusion_reached", "public_keys",
           "published_replies", "retry_dossier", "review", "seed_demo", "set_policy", "tracker",
           "update_institution"]


def list_dossiers(caller: Caller, proposal_id: str) -> list[Dossier]:
    """A proposal's dossiers as its municipality sees them (cancelled ones only for staff)."""
    query = Dossier.objects(proposal_id=proposal_id, municipality=caller.municipality)
    if caller.role != "staff":
        query = query.filter(status__ne=domain.CANCELLED)
    return list(query.order_by("institution_id"))
