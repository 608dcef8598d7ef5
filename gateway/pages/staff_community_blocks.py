"""Blocked accounts in the staff console, at /m/<municipality>/staff/blocks: the list, blocking an account
(the account and the reason, then a confirmation) and lifting a block (after a confirmation). Staff reach
the form from a reported comment's "Block the author", with the account filled in."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import field_errors, problem_errors, problem_of, refusal
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from proposals.schemas import BlockIn

_ACCOUNT = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
FIELDS = ("user_id", "reason")


def _blocks() -> list[dict]:
    answer = fetch("list_blocks")
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (403, 404) else 400)
    return answer.json()


@bp.get("/m/<municipality>/staff/blocks")
@staff_only
def staff_blocks():
    """The accounts blocked in this municipality, the latest first."""
    return render("staff_community_blocks.html", blocks=_blocks())


def _typed() -> dict:
    return {name: (request.values.get(name) or "").strip() for name in FIELDS}


def _errors_of(form: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not form["user_id"]:
        errors["user_id"] = [_("Enter the account's identifier, as shown beside a reported comment.")]
    elif not _ACCOUNT.match(form["user_id"]):
        errors["user_id"] = [_("An account's identifier has only letters, digits, “-” and “_”.")]
    if not form["reason"]:
        errors["reason"] = [_("Say why the account is blocked: the reason goes into the audit log.")]
    else:
        errors.update({k: v for k, v in field_errors(BlockIn().validate({"reason": form["reason"]})).items()})
    return errors


@bp.route("/m/<municipality>/staff/blocks/new", methods=["GET", "POST"])
@staff_only
def staff_block_new():
    """Block an account: the form, then a confirmation; only the confirmed form blocks."""
    form = _typed()
    if request.method == "GET":
        return render("staff_community_block_form.html", form=form, errors={})
    errors = _errors_of(form)
    if errors:
        return render("staff_community_block_form.html", 422, form=form, errors=errors)
    if request.form.get("confirmed") != "yes":
        already = any(b["user_id"] == form["user_id"] for b in _blocks())
        return render("staff_community_block_confirm.html", form=form, already=already)
    answer = fetch("block_user", user_id=form["user_id"], json={"reason": form["reason"]})
    if answer.status_code == 200:
        flash(_("The account %(account)s is blocked. It cannot submit, comment or report here until you "
                "unblock it.", account=form["user_id"]), "success")
        return redirect(url_for("pages.staff_blocks"))
    if answer.status_code == 422 and problem_errors(answer):
        return render("staff_community_block_form.html", 422, form=form, errors=problem_errors(answer))
    duplicate = problem_of(answer).get("code") == "duplicate"
    flash(_("This account is already blocked.") if duplicate else refusal(
        answer, on_409=_("You cannot block your own account.")), "error")
    return redirect(url_for("pages.staff_blocks"))


@bp.route("/m/<municipality>/staff/blocks/<user_id>/unblock", methods=["GET", "POST"])
@staff_only
def staff_unblock(user_id):
    """Lift a block, after a confirmation."""
    user_id = checked_id(user_id)
    block = next((b for b in _blocks() if b["user_id"] == user_id), None)
    if request.method == "GET":
        if block is None:
            flash(_("This account is not blocked (any more)."), "info")
            return redirect(url_for("pages.staff_blocks"))
        return render("staff_community_unblock.html", block=block)
    answer = fetch("unblock_user", user_id=user_id)
    if answer.status_code == 200:
        flash(_("The block on the account %(account)s is lifted: it can take part again.", account=user_id),
              "success")
    else:
        flash(refusal(answer, on_404=_("This account is not blocked (any more).")), "error")
    return redirect(url_for("pages.staff_blocks"))
