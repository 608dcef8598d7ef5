"""One item of the moderation desk: the proposal in full with its place in the filtered queue, its
similar proposals, its reports and its moderation history, and a form for each decision its status
allows (the forms post to `staff_moderation_decide`)."""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _

from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import checked_id, fetch, processes, try_fetch
from gateway.pages.labels import autonym, label, localised
from gateway.pages.proposals import COMPETENCES, theme_labeller
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_moderation_common import (
    age,
    chosen_filters,
    desk_url,
    item_at,
    position_arg,
    read_queue,
    reason_options,
    reasons,
    status_label,
)

# The decisions each status allows (proposals.domain.TRANSITIONS, the staff's rows).
DECISIONS = {"pending": ("approve", "reject", "request_changes", "mark_duplicate"),
             "changes_requested": ("mark_duplicate",), "published": ("hide",), "hidden": ("restore",)}
ACTION_LABELS = {"approve": N_("Approved"), "reject": N_("Rejected"), "request_changes": N_("Changes requested"),
                 "hide": N_("Hidden"), "restore": N_("Restored"), "auto_hide": N_("Hidden automatically"),
                 "mark_duplicate": N_("Marked as a duplicate")}


def _reporters(proposal: dict, filters: dict[str, str], position: int) -> tuple[list[dict], int | None]:
    """The proposal's reports (the queue lists them for staff) and the queue's length, when the
    proposal is where the queue's address says; otherwise looked for among its status's reported items."""
    found, total = item_at(filters, position)
    if found is not None and found["id"] == proposal["id"]:
        return found.get("reporters") or [], total
    if proposal.get("reports"):
        for item in read_queue({**filters, "status": proposal["status"], "process": "", "theme": "", "age": "",
                                "overdue": "", "reported": "1"}, per_page=100).get("items") or []:
            if item["id"] == proposal["id"]:
                return item.get("reporters") or [], None
    return [], None


def _similar(proposal: dict) -> list[dict]:
    """Proposals like this one (published, pending, awaiting changes), itself left out."""
    answer = try_fetch("similar_proposals", json={
        "title": proposal.get("title", "")[:200], "summary": proposal.get("summary", "")[:1000],
        "body": proposal.get("body", ""), "process_id": proposal.get("process_id")})
    if answer is None or answer.status_code != 200:
        return []
    return [s for s in answer.json() if s["id"] != proposal["id"]]


def _history(proposal_id: str) -> list[dict]:
    answer = try_fetch("moderation_audit", params={"subject": proposal_id, "per_page": 50})
    return answer.json().get("items", []) if answer is not None and answer.status_code == 200 else []


def _requires_justification() -> bool:
    answer = try_fetch("moderation_settings")
    return answer is None or answer.status_code != 200 or bool(answer.json().get("require_justification", True))


def item_page(proposal_id: str, filters: dict[str, str], position: int, status: int = 200,
              errors: dict | None = None, form: dict | None = None, failed: str | None = None):
    """The item view; after a refused decision, with that form's `errors` and the values typed (`form`)."""
    answer = fetch("get_proposal", proposal_id=proposal_id)
    if answer.status_code != 200:
        abort(404 if answer.status_code in (403, 404) else answer.status_code)
    proposal = answer.json()
    reporters, total = _reporters(proposal, filters, position)
    titles = {p["id"]: localised(p.get("title"), p["id"]) for p in processes()}
    default = proposal.get("default_competence") or "national"
    return render(
        "staff_moderation_item.html", status, proposal=proposal, filters=filters, position=position, total=total,
        reporters=reporters, similar=_similar(proposal), history=_history(proposal_id),
        decisions=DECISIONS.get(proposal.get("status"), ()), errors=errors or {}, form=form or {},
        failed=failed, default_competence=default, requires_justification=_requires_justification(),
        competence_options=[(code, label("competence", code)) for code in COMPETENCES],
        reason_options=reason_options(reasons()), status_label=status_label, theme_label=theme_labeller(),
        process_title=titles.get(proposal.get("process_id"), proposal.get("process_id")), age=age,
        autonym=autonym, action_label=lambda code: _(ACTION_LABELS[code]) if code in ACTION_LABELS else code, desk_url=desk_url,
        queue_url=desk_url("pages.staff_moderation", filters),
        skip_url=desk_url("pages.staff_moderation_next", filters, at=position + 1, after=proposal_id))


@bp.get("/m/<municipality>/staff/moderation/<proposal_id>")
@staff_only
def staff_moderation_item(proposal_id):
    return item_page(checked_id(proposal_id), chosen_filters(), position_arg())
