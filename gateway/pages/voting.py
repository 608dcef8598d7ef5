"""Pages of voting: confirming and casting a ballot, the receipt shown once, opening and closing a
vote (staff), verifying one's eligibility against the register, and checking a receipt in public."""
from __future__ import annotations

import math

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch, try_fetch
from gateway.pages.labels import in_order, label, problem_errors, problem_of, refusal
from gateway.pages.render import render
from gateway.pages.session import acting_caller, safe_next, sign_in_required
from services.settings import get_settings

CHOICES = ("yes", "no", "abstain")
RECEIPT_KEY = "receipt"  # the receipt of the last ballot, shown once on the proposal's page
EVIDENCE_FIELDS = ("reference", "date_of_birth")


def _back(proposal_id: str, anchor: str | None = None):
    return redirect(url_for("pages.proposal", proposal_id=proposal_id, _anchor=anchor))


def wait_message(answer) -> str:
    """A 429's wait, in minutes, from its Retry-After."""
    try:
        minutes = max(1, math.ceil(float(answer.headers.get("Retry-After", "60")) / 60))
    except ValueError:
        minutes = 60
    return ngettext("Too many attempts. Try again in %(num)d minute.",
                    "Too many attempts. Try again in %(num)d minutes.", minutes)


@bp.post("/m/<municipality>/proposals/<proposal_id>/ballot")
@sign_in_required
def ballot(proposal_id):
    """Two steps: the choice is confirmed on a page of its own, then cast."""
    proposal_id = checked_id(proposal_id)
    choice = request.form.get("choice")
    if choice not in CHOICES:
        flash(_("Choose Yes, No or Abstain before you cast your vote."), "error")
        return _back(proposal_id, "vote")
    if request.form.get("confirmed") != "yes":
        found = fetch("get_proposal", proposal_id=proposal_id)
        shown = found.json() if found.status_code == 200 else {}
        return render("ballot_confirm.html", proposal_id=proposal_id, title=shown.get("title", ""),
                      title_lang=shown.get("language"), choice=choice)
    answer = fetch("cast_ballot", proposal_id=proposal_id, json={"choice": choice})
    if answer.status_code == 200:
        cast = answer.json()
        keep_receipt(proposal_id, cast.get("receipt"))
        if cast.get("changed"):
            flash(_("Your vote was changed to “%(choice)s”. You can change it again until voting closes.",
                    choice=label("choice", choice)), "success")
        else:
            flash(_("Your vote “%(choice)s” was recorded. You can change it until voting closes.",
                    choice=label("choice", choice)), "success")
        return _back(proposal_id, "receipt")
    if answer.status_code == 403 and problem_of(answer).get("code") == "not_verified":
        flash(_("Before you vote, confirm that you are on the municipality's register of eligible residents."),
              "error")
        return redirect(url_for("pages.eligibility", next=url_for("pages.proposal", proposal_id=proposal_id)))
    flash(wait_message(answer) if answer.status_code == 429 else
          refusal(answer, on_403=_("You are not on this municipality's register of eligible residents, so "
                                   "you cannot vote here."),
                  on_404=_("This proposal is not open for voting."),
                  on_409=_("Voting on this proposal is not open.")), "error")
    return _back(proposal_id, "voting")


def keep_receipt(vote_id: str, code: str | None) -> None:
    """Keep the receipt of the ballot just cast (on a proposal or an approval ballot) to show it once."""
    session[RECEIPT_KEY] = {"for": vote_id, "code": code}


def receipt_for(vote_id: str) -> str | None:
    """The receipt of the ballot just cast on this vote, once: it is forgotten when shown."""
    kept = session.get(RECEIPT_KEY)
    if kept and kept.get("for") == vote_id:
        session.pop(RECEIPT_KEY)
        return kept.get("code")
    return None


def eligibility_of_visitor() -> dict | None:
    """A signed-in resident's verification status (None for anyone else, or when voting is down)."""
    if acting_caller().role != "resident":
        return None
    answer = try_fetch("eligibility_status")
    return answer.json() if answer is not None and answer.status_code == 200 else None


def open_or_close(operation: str, opening: bool, **values) -> None:
    """Staff open or close a vote (a proposal's or an approval ballot's) and are told how it went."""
    answer = fetch(operation, **values)
    if answer.status_code == 200:
        flash(_("Voting is now open. Residents can cast their votes.") if opening
              else _("Voting is closed. The results are shown below."), "success")
    else:
        flash(refusal(answer, on_403=_("Only municipal staff can open and close voting."),
                      on_404=_("Voting does not know this proposal yet. Reload the page in a moment.")),
              "error")


def _voting(proposal_id: str, action: str):
    proposal_id = checked_id(proposal_id)
    open_or_close(f"{action}_voting", action == "open", proposal_id=proposal_id)
    return _back(proposal_id, "voting")


@bp.post("/m/<municipality>/proposals/<proposal_id>/voting/open")
@sign_in_required
def open_voting(proposal_id):
    return _voting(proposal_id, "open")


@bp.post("/m/<municipality>/proposals/<proposal_id>/voting/close")
@sign_in_required
def close_voting(proposal_id):
    return _voting(proposal_id, "close")


@bp.route("/m/<municipality>/eligibility", methods=["GET", "POST"])
@sign_in_required
def eligibility():
    """A resident confirms, once, that they are on the municipality's register of eligible residents."""
    target = safe_next(request.values.get("next")) if request.values.get("next") else None
    errors: dict[str, list[str]] = {}
    form = {name: "" for name in EVIDENCE_FIELDS}
    status = 200
    if request.method == "POST":
        form = {name: (request.form.get(name) or "").strip() for name in EVIDENCE_FIELDS}
        answer = fetch("verify_eligibility", json=form)
        if answer.status_code == 200 and answer.json().get("verified"):
            flash(_("Thank you: you are on the register, and you can vote in your municipality."), "success")
            return redirect(target or url_for("pages.eligibility"))
        status = answer.status_code if 400 <= answer.status_code < 500 else 422
        if answer.status_code == 429:
            errors = {"_form": [wait_message(answer)]}
        elif answer.status_code == 422:
            errors = in_order(problem_errors(answer), EVIDENCE_FIELDS) or {"_form": [refusal(answer)]}
            errors.setdefault("_form", [_("These details do not match an entry of the register. Check the "
                                          "reference on the municipality's letter and your date of birth.")])
        else:
            errors = {"_form": [refusal(answer, on_403=_("Only residents confirm their eligibility."),
                                        on_409=_("Another account has already confirmed this register entry. "
                                                 "If it was not you, tell the municipality."))]}
    current = fetch("eligibility_status")
    state = current.json() if current.status_code == 200 else {}
    settings = get_settings()
    return render("eligibility.html", status, state=state, form=form, errors=errors, next=target,
                  attempts=settings.verification_attempts_per_hour,
                  reference_failures=settings.verification_failures_per_reference,
                  window_hours=settings.verification_reference_window_hours)


@bp.get("/receipts")
def receipt_check():
    """Anyone checks a receipt: whether that ballot was recorded or counted, never its choice."""
    code = (request.args.get("code") or "").strip().upper()[:64]
    found, errors = None, {}
    if code:
        answer = fetch("check_receipt", code=code) if _plain(code) else None
        if answer is not None and answer.status_code == 200:
            found = answer.json()
        else:
            errors = {"code": [_("No ballot has this receipt. Check that you typed it as it was shown, "
                                 "with its dashes.")]}
    return render("receipt.html", 200 if not errors else 404, code=code, found=found, errors=errors)


def _plain(code: str) -> bool:
    return all(c.isalnum() or c == "-" for c in code)
