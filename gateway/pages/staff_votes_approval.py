"""Approval votes in the staff console: every process's approval votes (filtered by process and
state), setting one up (measures, how many each voter may choose, an optional window), opening and
closing it after a confirmation, and its ranking with the recount check once closed."""
from __future__ import annotations

import math

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages.approval import ranked
from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch, processes
from gateway.pages.labels import field_errors, label, localised, problem_of, refusal
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_votes_forms import service_errors, window_body
from gateway.pages.voting import open_or_close

STATUS_ORDER = {"open": 0, "published": 1, "closed": 2}
FORM_FIELDS = ("process_id", "title", "measures", "max_selections", "opens_at", "closes_at")
PER_PAGE = 20


def _titles() -> dict[str, str]:
    return {p["id"]: localised(p.get("title"), p["id"]) for p in processes()}


@bp.get("/m/<municipality>/staff/votes/approval")
@staff_only
def staff_approval_votes():
    """The approval votes of every process (or one), open ones first, then those still to open."""
    titles = _titles()
    process = request.args.get("process") if request.args.get("process") in titles else ""
    status = request.args.get("status") if request.args.get("status") in STATUS_ORDER else ""
    found = []
    for process_id in [process] if process else titles:
        answer = fetch("list_approval_votes", process_id=process_id)
        if answer.status_code == 200:
            found += answer.json().get("approval_votes", [])
    found = [v for v in found if not status or v.get("status") == status]
    found.sort(key=lambda v: STATUS_ORDER.get(v.get("status"), 3))
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, math.ceil(len(found) / PER_PAGE))
    args = {"process": process or None, "status": status or None}
    return render("staff_votes_approval.html", votes=found[(page - 1) * PER_PAGE:page * PER_PAGE], total=len(found),
                  page=page, pages=pages, process=process, status=status, process_titles=titles,
                  statuses=[(code, label("vote", code)) for code in STATUS_ORDER],
                  page_url=lambda n: url_for("pages.staff_approval_votes", page=n, **args),
                  clear_url=url_for("pages.staff_approval_votes"))


def _create_body(form: dict) -> tuple[dict, dict[str, list[str]]]:
    measures = [line.strip() for line in form["measures"].splitlines() if line.strip()]
    body, errors = window_body(form, ("opens_at", "closes_at"))
    body.update(title=form["title"], options=[{"label": m} for m in measures])
    if not form["process_id"]:
        errors["process_id"] = [_("Choose the process the vote belongs to.")]
    if len(measures) < 2:
        errors["measures"] = [_("Enter at least two measures, one a line.")]
    try:
        body["max_selections"] = int(form["max_selections"])
        if not 1 <= body["max_selections"] <= max(len(measures), 1):
            errors["max_selections"] = [_("Enter a number from 1 to the number of measures (%(num)d).",
                                          num=len(measures))]
    except ValueError:
        errors["max_selections"] = [_("Enter a whole number, for example 3.")]
    return body, {name: errors[name] for name in FORM_FIELDS if name in errors}


@bp.route("/m/<municipality>/staff/votes/approval/new", methods=["GET", "POST"])
@staff_only
def staff_approval_new():
    """Set up an approval vote: one measure a line, how many each voter may choose, an optional window."""
    titles = _titles()
    form = {name: "" for name in FORM_FIELDS}
    form.update(process_id=request.args.get("process") if request.args.get("process") in titles else "",
                max_selections="3")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = {name: (request.form.get(name) or "").strip()[:20000 if name == "measures" else 300]
                for name in FORM_FIELDS}
        body, errors = _create_body(form)
        if not errors:
            answer = fetch("create_approval_vote", process_id=form["process_id"], json=body)
            if answer.status_code == 201:
                flash(_("The approval vote was set up. Open it now or let its window open it."), "success")
                return redirect(url_for("pages.staff_approval_vote", approval_id=answer.json()["id"]))
            problems = field_errors((problem_of(answer).get("errors") or {}).get("json"))
            errors = {("measures" if k == "options" else k): v for k, v in service_errors(problems).items()}
            if answer.status_code == 404:
                errors = {"process_id": [_("Choose one of the offered processes.")]}
            errors = errors or {"_form": [refusal(answer)]}
    return render("staff_votes_approval_new.html", 422 if errors else 200, form=form, errors=errors,
                  process_options=list(titles.items()))


def _approval(approval_id: str) -> dict:
    answer = fetch("approval_vote", approval_id=approval_id)
    if answer.status_code != 200:
        abort(404)
    return answer.json()


@bp.get("/m/<municipality>/staff/votes/approval/<approval_id>")
@staff_only
def staff_approval_vote(approval_id):
    vote = _approval(checked_id(approval_id))
    return render("staff_votes_approval_vote.html", vote=vote, measures=ranked(vote),
                  process_title=_titles().get(vote.get("process_id"), vote.get("process_id")))


def _confirm_or_act(approval_id: str, action: str):
    approval_id = checked_id(approval_id)
    back = url_for("pages.staff_approval_vote", approval_id=approval_id)
    if request.method == "POST" and request.form.get("confirmed") == "yes":
        open_or_close(f"{action}_approval_vote", action == "open", approval_id=approval_id)
        return redirect(back)
    vote = _approval(approval_id)
    if vote.get("status") != ("published" if action == "open" else "open"):
        flash(_("This vote cannot be opened now: it is %(state)s.", state=label("vote", vote.get("status")))
              if action == "open" else
              _("This vote cannot be closed now: it is %(state)s.", state=label("vote", vote.get("status"))), "error")
        return redirect(back)
    return render("staff_votes_confirm.html", action=action, kind="approval", vote=vote, title=vote.get("title"),
                  ballots=None, rules_words=[], back_url=back,
                  action_url=url_for(f"pages.staff_approval_{action}", approval_id=approval_id))


@bp.route("/m/<municipality>/staff/votes/approval/<approval_id>/open", methods=["GET", "POST"])
@staff_only
def staff_approval_open(approval_id):
    return _confirm_or_act(approval_id, "open")


@bp.route("/m/<municipality>/staff/votes/approval/<approval_id>/close", methods=["GET", "POST"])
@staff_only
def staff_approval_close(approval_id):
    return _confirm_or_act(approval_id, "close")
