"""The moderation desk's decisions on one item (approve, reject, request changes, hide, restore, mark
as a duplicate) and the way on: after a decision the moderator lands on the next item of the same
filtered queue, told what was done; a refused decision shows its form again with the errors tied to
their fields and what was typed kept."""
from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import label, problem_errors, refusal
from gateway.pages.staff import staff_only
from gateway.pages.staff_moderation_common import chosen_filters, desk_url, next_url, position_arg
from gateway.pages.staff_moderation_item import item_page

FIELDS = ("competence", "justification", "reason_code", "reason", "note")


def _text(name: str) -> str | None:
    return (request.form.get(name) or "").strip()[:2000] or None


def _body(decision: str) -> dict:
    """The moderate_proposal body of a decision: only the fields that decision reads."""
    if decision == "approve":
        return {"decision": decision, "competence": request.form.get("competence") or None,
                "justification": _text("justification")}
    if decision == "request_changes":
        return {"decision": decision, "note": _text("note")}
    if decision == "restore":
        return {"decision": decision, "reason": _text("reason")}
    return {"decision": decision, "reason_code": request.form.get("reason_code") or None, "reason": _text("reason")}


def _done(decision: str, title: str, data: dict) -> str:
    if decision == "approve":
        return _("“%(title)s” was approved and published (competence: %(competence)s).", title=title,
                 competence=label("competence", data.get("competence")))
    if decision == "reject":
        return _("“%(title)s” was rejected. The author will be told the reason.", title=title)
    if decision == "request_changes":
        return _("The author of “%(title)s” was asked to change it.", title=title)
    if decision == "hide":
        return _("“%(title)s” was hidden. You can restore it from the “Hidden” tab.", title=title)
    return _("“%(title)s” was restored and is published again.", title=title)


def desk_errors(answer, proposal_id: str) -> dict[str, list[str]]:
    """The service's field errors in the visitor's language, with the desk's own wording."""
    errors = problem_errors(answer)
    if "justification" in errors:
        errors["justification"] = [_("You chose another competence than the theme's default: explain why.")]
    if "note" in errors:
        errors["note"] = [_("Tell the author what to change.")]
    if "reason" in errors:
        errors["reason"] = [_("Choose a reason from the library or write your own.")]
    if "of" in errors:
        errors["of"] = [_("Choose another proposal: a proposal cannot duplicate itself.")
                        if answer.status_code == 422 else _("No such proposal in this municipality.")]
    return errors


def _refused(answer, proposal_id: str, filters: dict, position: int, decision: str, form: dict):
    errors = desk_errors(answer, proposal_id)
    if answer.status_code in (404, 422) and errors:
        return item_page(proposal_id, filters, position, 422, errors=errors, form=form, failed=decision)
    flash(refusal(answer, on_409=_("This decision is not possible in the proposal's current state. The page "
                                   "shows its current state.")), "error")
    return redirect(desk_url("pages.staff_moderation_item", filters, proposal_id=proposal_id, at=position))


@bp.post("/m/<municipality>/staff/moderation/<proposal_id>/decision")
@staff_only
def staff_moderation_decide(proposal_id):
    proposal_id = checked_id(proposal_id)
    filters, position = chosen_filters(request.form), position_arg(request.form)
    decision = request.form.get("decision")
    if decision not in ("approve", "reject", "request_changes", "hide", "restore"):
        abort(400, description=_("Choose a decision."))
    data = _body(decision)
    answer = fetch("moderate_proposal", proposal_id=proposal_id, json=data)
    if answer.status_code != 200:
        return _refused(answer, proposal_id, filters, position, decision, {k: data.get(k) or "" for k in FIELDS})
    flash(_done(decision, answer.json().get("title", ""), data), "success")
    return redirect(next_url(filters, position, after=proposal_id))


@bp.post("/m/<municipality>/staff/moderation/<proposal_id>/duplicate")
@staff_only
def staff_moderation_duplicate(proposal_id):
    proposal_id = checked_id(proposal_id)
    filters, position = chosen_filters(request.form), position_arg(request.form)
    original = (request.form.get("of_other") or "").strip() or (request.form.get("of") or "").strip()
    form = {"of": request.form.get("of") or "", "of_other": (request.form.get("of_other") or "").strip()[:64]}
    if not original:
        return item_page(proposal_id, filters, position, 422, errors={"of": [_("Choose the original proposal.")]},
                         form=form, failed="mark_duplicate")
    answer = fetch("mark_duplicate", proposal_id=proposal_id, json={"of": original[:64]})
    if answer.status_code != 200:
        return _refused(answer, proposal_id, filters, position, "mark_duplicate", form)
    found = fetch("get_proposal", proposal_id=original)
    original_title = found.json().get("title", original) if found.status_code == 200 else original
    flash(_("“%(title)s” was marked as a duplicate of “%(original)s”; the two are linked.",
            title=answer.json().get("title", ""), original=original_title), "success")
    return redirect(next_url(filters, position, after=proposal_id))


@bp.get("/m/<municipality>/staff/moderation/next")
@staff_only
def staff_moderation_next():
    """The item now at `at` of the filtered queue (the next one once an item is done or skipped)."""
    after = request.args.get("after")
    return redirect(next_url(chosen_filters(), position_arg(), after=after if after else None))
