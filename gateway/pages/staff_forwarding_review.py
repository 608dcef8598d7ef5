"""Reviewing a conclusion before it is forwarded: approve the institutions the routing proposes or
change them (any body of the directory, added or removed), with a note and a justification, then a
confirmation of what will be sent to whom, then the signed dossiers go out and the next conclusion
waiting for review is shown."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import problem_errors, refusal
from gateway.pages.proposals import theme_labeller
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_forwarding_common import (
    channel_word,
    directory,
    institution_name,
    review_queue,
    tally_words,
)

FIELDS = ("institutions", "note", "justification")
MAX_TEXT = 4000


def _waiting(proposal_id: str) -> dict | None:
    return next((c for c in review_queue() if c["proposal_id"] == proposal_id), None)


def _form_of(conclusion: dict) -> dict:
    return {"institutions": list(conclusion.get("proposed") or []), "note": "", "justification": ""}


def _typed() -> dict:
    chosen = list(dict.fromkeys(code for code in request.form.getlist("institutions") if code))
    return {"institutions": chosen, "note": (request.form.get("note") or "").strip(),
            "justification": (request.form.get("justification") or "").strip()}


def _check(form: dict, institutions: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not form["institutions"]:
        errors["institutions"] = [_("Choose at least one institution to send the dossier to.")]
    elif any(code not in institutions for code in form["institutions"]):
        errors["institutions"] = [_("Choose institutions from the directory.")]
    for name in ("note", "justification"):
        if len(form[name]) > MAX_TEXT:
            errors[name] = [_("Use at most %(max)s characters.", max=MAX_TEXT)]
    return errors


def _page(template: str, conclusion: dict, form: dict, institutions: dict, errors=None, status: int = 200):
    proposed = list(conclusion.get("proposed") or [])
    order = proposed + sorted((c for c in institutions if c not in proposed),
                              key=lambda code: institution_name(institutions, code))
    options = [{"code": code, "name": institution_name(institutions, code), "proposed": code in proposed,
                "channel": channel_word(institutions[code].get("channel")), "checked": code in form["institutions"],
                "themes": institutions[code].get("themes") or []} for code in order if code in institutions]
    chosen = [option for option in options if option["checked"]]
    removed = [option for option in options if option["proposed"] and not option["checked"]]
    return render(template, status, conclusion=conclusion, form=form, errors=errors or {}, options=options,
                  chosen=chosen, removed=removed, tally_words=tally_words, theme_label=theme_labeller(),
                  institutions=institutions)


@bp.route("/m/<municipality>/staff/forwarding/review/<proposal_id>", methods=["GET", "POST"])
@staff_only
def staff_forwarding_review(proposal_id):
    proposal_id = checked_id(proposal_id)
    conclusion = _waiting(proposal_id)
    if conclusion is None:
        found = fetch("forwarding_status", proposal_id=proposal_id)
        if found.status_code == 200 and found.json().get("dossiers"):
            flash(_("This conclusion is no longer waiting for review: its dossiers are listed below."), "info")
            return redirect(url_for("pages.staff_forwarding_dossiers", proposal=proposal_id))
        abort(404)
    institutions = directory()
    if request.method == "GET":
        return _page("staff_forwarding_review.html", conclusion, _form_of(conclusion), institutions)
    form = _typed()
    errors = _check(form, institutions)
    if errors or request.form.get("step") == "change":
        return _page("staff_forwarding_review.html", conclusion, form, institutions, errors, 422 if errors else 200)
    if request.form.get("step") != "confirmed":
        return _page("staff_forwarding_review_confirm.html", conclusion, form, institutions)
    answer = fetch("review_forwarding", proposal_id=proposal_id, json={
        "institutions": form["institutions"], "note": form["note"] or None,
        "justification": form["justification"] or None})
    if answer.status_code == 200:
        names = ", ".join(institution_name(institutions, code) for code in form["institutions"])
        flash(ngettext("The dossier was signed and is on its way to %(names)s.",
                       "The dossiers were signed and are on their way to: %(names)s.",
                       len(form["institutions"]), names=names), "success")
        return _next_after(proposal_id)
    errors = problem_errors(answer)
    if answer.status_code == 422 and errors:
        return _page("staff_forwarding_review.html", conclusion, form, institutions, errors, 422)
    flash(refusal(answer, on_409=_("This conclusion has just been reviewed by someone else; nothing was sent "
                                   "twice."), on_404=_("This conclusion could not be found.")), "error")
    return redirect(url_for("pages.staff_forwarding", _anchor="review"))


def _next_after(proposal_id: str):
    """After a review: the next conclusion waiting for one, else the section's first page."""
    following = [c for c in review_queue() if c["proposal_id"] != proposal_id]
    if following:
        return redirect(url_for("pages.staff_forwarding_review", proposal_id=following[0]["proposal_id"]))
    return redirect(url_for("pages.staff_forwarding_dossiers", proposal=proposal_id))
