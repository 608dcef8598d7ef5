"""Pages of approval ballots, where residents choose up to N of a process's measures: the list of a
process's ballots, one ballot (choose, confirm, receipt once; staff open and close it), and its
results as a ranking with a chart."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import localised, refusal
from gateway.pages.render import render
from gateway.pages.session import sign_in_required
from gateway.pages.voting import eligibility_of_visitor, keep_receipt, open_or_close, receipt_for, wait_message


def _approval(approval_id: str) -> dict:
    answer = fetch("approval_vote", approval_id=approval_id)
    if answer.status_code != 200:
        abort(404)
    return answer.json()


def ranked(vote: dict) -> list[dict]:
    """The measures in the order of the result (closed) or of the ballot paper, with their counts."""
    labels = {o["id"]: o["label"] for o in vote.get("options") or []}
    counts = vote.get("tally") or vote.get("live_tally") or {}
    order = vote.get("ranking") or list(labels)
    most = max(counts.values(), default=0) or 1
    return [{"id": code, "label": labels.get(code, code), "count": counts.get(code, 0),
             "share": round(100 * counts.get(code, 0) / most)} for code in order]


@bp.get("/m/<municipality>/processes/<process_id>/approval-votes")
def approval_votes(process_id):
    process_id = checked_id(process_id)
    process = fetch("get_process", process_id=process_id)
    if process.status_code != 200:
        abort(404)
    listed = fetch("list_approval_votes", process_id=process_id)
    votes = listed.json().get("approval_votes", []) if listed.status_code == 200 else []
    return render("approval_votes.html", process=process.json(), votes=votes,
                  process_title=localised(process.json().get("title"), process_id))


@bp.get("/m/<municipality>/approval-votes/<approval_id>")
def approval_vote(approval_id):
    approval_id = checked_id(approval_id)
    vote = _approval(approval_id)
    return render("approval_vote.html", vote=vote, measures=ranked(vote), receipt=receipt_for(approval_id),
                  eligibility=eligibility_of_visitor() if vote.get("status") == "open" else None)


@bp.post("/m/<municipality>/approval-votes/<approval_id>/ballot")
@sign_in_required
def approval_ballot(approval_id):
    """Two steps as for a proposal's ballot: the selection is confirmed on a page of its own, then cast."""
    approval_id = checked_id(approval_id)
    vote = _approval(approval_id)
    known = {o["id"] for o in vote.get("options") or []}
    chosen = [code for code in request.form.getlist("selection") if code in known]
    back = redirect(url_for("pages.approval_vote", approval_id=approval_id, _anchor="ballot"))
    if len(chosen) > vote.get("max_selections", 0):
        flash(ngettext("Choose at most %(num)d measure.", "Choose at most %(num)d measures.",
                       vote.get("max_selections", 0)), "error")
        return back
    if request.form.get("confirmed") != "yes":
        return render("approval_confirm.html", vote=vote, chosen=[m for m in ranked(vote) if m["id"] in chosen])
    answer = fetch("cast_approval_ballot", approval_id=approval_id, json={"selections": chosen})
    if answer.status_code == 200:
        keep_receipt(approval_id, answer.json().get("receipt"))
        flash(ngettext("Your ballot with %(num)d measure was recorded. You can change it until voting closes.",
                       "Your ballot with %(num)d measures was recorded. You can change it until voting closes.",
                       len(chosen)), "success")
        return redirect(url_for("pages.approval_vote", approval_id=approval_id, _anchor="receipt"))
    flash(wait_message(answer) if answer.status_code == 429 else
          refusal(answer, on_403=_("You are not on this municipality's register of eligible residents, so "
                                   "you cannot vote here."),
                  on_409=_("Voting on this ballot is not open.")), "error")
    return back


def _staff_action(approval_id: str, action: str):
    approval_id = checked_id(approval_id)
    open_or_close(f"{action}_approval_vote", action == "open", approval_id=approval_id)
    return redirect(url_for("pages.approval_vote", approval_id=approval_id))


@bp.post("/m/<municipality>/approval-votes/<approval_id>/open")
@sign_in_required
def open_approval_vote(approval_id):
    return _staff_action(approval_id, "open")


@bp.post("/m/<municipality>/approval-votes/<approval_id>/close")
@sign_in_required
def close_approval_vote(approval_id):
    return _staff_action(approval_id, "close")
