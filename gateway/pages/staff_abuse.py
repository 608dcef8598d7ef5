"""Staff's defences against bursts, at /m/<municipality>/staff/abuse (gateway.blocks, the same use
cases as the API's abuse operations): blocked client networks and e-mail domains, recent
registrations and supports grouped by network or domain, undoing one group after a preview, and
the audit log of these defences."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import EXCLUDE, ValidationError

from gateway import blocks, blocks_undo
from gateway.pages.blueprint import N_, bp
from gateway.pages.labels import field_errors
from gateway.pages.render import render
from gateway.pages.session import acting_caller
from gateway.pages.staff import section, staff_only
from gateway.schemas import AbuseBlockIn, BurstArgs, InvalidationIn
from services.errors import DomainError, NotFound

KIND_LABELS = {"registration": N_("Registrations"), "support": N_("Supports")}
BY_LABELS = {"network": N_("Client network"), "domain": N_("E-mail domain")}
BLOCK_LABELS = {"address": N_("Address or network"), "domain": N_("E-mail domain")}
ACTION_LABELS = {"block_added": N_("Block added"), "block_removed": N_("Block lifted"),
                 "registrations_invalidated": N_("Registrations undone"),
                 "supports_invalidated": N_("Supports withdrawn")}


def _filters() -> dict:
    try:
        return BurstArgs(unknown=EXCLUDE).load(request.args)
    except ValidationError:
        abort(400)


def _page(status: int = 200, form: dict | None = None, errors: dict | None = None):
    caller, filters = acting_caller(), _filters()
    return render("staff_abuse.html", status, blocks=blocks.list_blocks(caller),
                  bursts=blocks.bursts(caller, filters["kind"], filters["by"], filters["minutes"]),
                  actions=blocks.actions(caller, 20), filters=filters, form=form or {"kind": "address"},
                  errors=errors or {}, kinds=[(k, _(v)) for k, v in KIND_LABELS.items()],
                  groupings=[(k, _(v)) for k, v in BY_LABELS.items()],
                  block_kinds=[(k, _(v)) for k, v in BLOCK_LABELS.items()],
                  action_label=lambda code: _(ACTION_LABELS[code]) if code in ACTION_LABELS else code)


@bp.get("/m/<municipality>/staff/abuse")
@staff_only
def staff_abuse():
    return _page()


@bp.post("/m/<municipality>/staff/abuse/blocks")
@staff_only
def staff_abuse_block():
    form = {name: (request.form.get(name) or "").strip() for name in ("kind", "value", "reason")}
    errors = field_errors(AbuseBlockIn().validate(form))
    if not errors:
        try:
            blocks.add_block(acting_caller(), AbuseBlockIn().load(form))
        except DomainError as exc:
            errors = field_errors((exc.errors or {}).get("json")) or {"value": [exc.message]}
            if exc.code == "duplicate":
                errors = {"value": [_("This network or domain is blocked already.")]}
            elif "value" in errors:
                errors = {"value": [_("Give an address (192.0.2.7), a network (192.0.2.0/24) or a domain "
                                      "(example.com).")]}
    if errors:
        return _page(422, form, errors)
    flash(_("Blocked: %(value)s. Registrations and supports from it are refused.", value=form["value"]), "success")
    return redirect(url_for("pages.staff_abuse"))


@bp.post("/m/<municipality>/staff/abuse/blocks/<block_id>/lift")
@staff_only
def staff_abuse_unblock(block_id):
    try:
        lifted = blocks.remove_block(acting_caller(), block_id)
    except NotFound:
        abort(404)
    flash(_("The block of %(value)s was lifted.", value=lifted.value), "success")
    return redirect(url_for("pages.staff_abuse"))


@bp.route("/m/<municipality>/staff/abuse/undo", methods=["GET", "POST"])
@staff_only
def staff_abuse_undo():
    """A group of recent registrations or supports: what would go (GET), then undone (POST)."""
    if request.method == "GET" and not request.args.get("kind"):  # no group chosen: choose one there
        return redirect(url_for("pages.staff_abuse"))
    try:
        data = InvalidationIn(unknown=EXCLUDE).load({**request.values.to_dict(), "confirm": request.method == "POST"})
    except ValidationError:
        abort(400)
    result = blocks_undo.invalidate(acting_caller(), data)
    if request.method == "GET":
        return render("staff_abuse_undo.html", result=result, data=data, kind_label=_(KIND_LABELS[data["kind"]]),
                      by_label=_(BY_LABELS[data["by"]]))
    flash(ngettext("%(num)d undone; it is recorded in the audit log below.",
                   "%(num)d undone; they are recorded in the audit log below.", result["invalidated"]), "success")
    return redirect(url_for("pages.staff_abuse", kind=data["kind"], by=data["by"], minutes=data["minutes"]))


section("pages.staff_abuse", N_("Abuse defences"), 25, prefixes=("abuse",))
