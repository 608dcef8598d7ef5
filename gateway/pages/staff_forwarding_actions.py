"""What staff do to a dossier, each confirmed before it is done: send an abandoned dossier again, record
that a manual dossier was sent by post or by hand, and record an institution's reply that came by post
(published on the proposal's page, marked as received by post)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.conclusion import said
from gateway.pages.labels import in_order, problem_errors, refusal
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_forwarding_common import directory, institution_name, needed, status_word
from gateway.pages.staff_forwarding_dossiers import dossier_page

REPLY_STATUSES = ("accepted", "partly", "rejected", "forwarded")
REPLY_FIELDS = ("status", "text", "forwarded_to")
MAX_REPLY = 20_000
MAX_NOTE = 1000


def _dossier(dossier_id: str) -> tuple[dict, str]:
    dossier = needed(fetch("get_dossier", dossier_id=dossier_id))
    return dossier, institution_name(directory(), dossier["institution_id"])


def _back(dossier_id: str):
    return redirect(url_for("pages.staff_forwarding_dossier", dossier_id=dossier_id))


def _next_in(status: str, dossier_id: str):
    """After acting on one dossier: the next one in the same state, else this dossier's page."""
    answer = fetch("list_dossiers", params={"status": status, "per_page": 2, "sort": "oldest"})
    others = [d for d in (answer.json().get("items", []) if answer.status_code == 200 else [])
              if d["id"] != dossier_id]
    if others:
        return redirect(url_for("pages.staff_forwarding_dossiers", status=status))
    return _back(dossier_id)


def _refused(answer, dossier_id: str):
    flash(refusal(answer, on_409=_("The dossier is no longer in that state; the page shows where it stands now."),
                  on_404=_("This dossier could not be found.")), "error")
    return _back(dossier_id)


@bp.post("/m/<municipality>/staff/forwarding/dossiers/<dossier_id>/retry")
@staff_only
def staff_forwarding_retry(dossier_id):
    dossier_id = checked_id(dossier_id)
    dossier, name = _dossier(dossier_id)
    if request.form.get("confirmed") != "yes":
        return render("staff_forwarding_confirm.html", dossier=dossier, institution_title=name, action="retry",
                      status_word=status_word)
    answer = fetch("retry_dossier", dossier_id=dossier_id)
    if answer.status_code != 200:
        return _refused(answer, dossier_id)
    flash(_("The dossier for %(name)s will be sent again now. Its timeline shows how it goes.", name=name),
          "success")
    return _next_in("abandoned", dossier_id)


@bp.post("/m/<municipality>/staff/forwarding/dossiers/<dossier_id>/sent")
@staff_only
def staff_forwarding_sent(dossier_id):
    dossier_id = checked_id(dossier_id)
    dossier, name = _dossier(dossier_id)
    note = (request.form.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        return dossier_page(dossier_id, 422, sent_errors={"note": [_("Use at most %(max)s characters.",
                                                                      max=MAX_NOTE)]}, sent_note=note)
    if request.form.get("confirmed") != "yes":
        return render("staff_forwarding_confirm.html", dossier=dossier, institution_title=name, action="sent",
                      note=note, status_word=status_word)
    answer = fetch("mark_dossier_sent", dossier_id=dossier_id, json={"note": note or None})
    if answer.status_code != 200:
        return _refused(answer, dossier_id)
    flash(_("The dossier for %(name)s is recorded as sent. The institution's deadline to reply runs from today.",
            name=name), "success")
    return _next_in("awaiting_manual", dossier_id)


def _reply_typed() -> dict:
    return {"status": request.form.get("status") or "", "text": (request.form.get("text") or "").strip(),
            "forwarded_to": (request.form.get("forwarded_to") or "").strip()}


def _reply_check(form: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if form["status"] not in REPLY_STATUSES:
        errors["status"] = [_("Choose what the institution answered.")]
    if not form["text"]:
        errors["text"] = [_("Type or summarise the institution's reply.")]
    elif len(form["text"]) > MAX_REPLY:
        errors["text"] = [_("Use at most %(max)s characters.", max=MAX_REPLY)]
    if form["status"] == "forwarded" and not form["forwarded_to"]:
        errors["forwarded_to"] = [_("Say which body the institution forwarded the dossier to.")]
    return errors


@bp.route("/m/<municipality>/staff/forwarding/dossiers/<dossier_id>/reply", methods=["GET", "POST"])
@staff_only
def staff_forwarding_reply(dossier_id):
    dossier_id = checked_id(dossier_id)
    dossier, name = _dossier(dossier_id)
    form, errors, status = {"status": "", "text": "", "forwarded_to": ""}, {}, 200
    context = {"dossier": dossier, "institution_title": name, "status_word": status_word,
               "reply_options": [(code, said("reply", code)) for code in REPLY_STATUSES]}
    if request.method == "POST":
        form = _reply_typed()
        errors = _reply_check(form)
        if not errors and request.form.get("step") == "confirmed":
            answer = fetch("record_postal_reply", dossier_id=dossier_id, json={
                "status": form["status"], "text": form["text"], "forwarded_to": form["forwarded_to"] or None})
            if answer.status_code == 201:
                flash(_("The reply of %(name)s is recorded and published on the proposal's page, marked as "
                        "received by post. The proposal's author and followers are told.", name=name), "success")
                return _back(dossier_id)
            errors = in_order(problem_errors(answer), REPLY_FIELDS)
            if not errors:
                return _refused(answer, dossier_id)
        if errors:
            status = 422
        elif request.form.get("step") != "change":
            return render("staff_forwarding_confirm.html", action="reply", form=form,
                          reply_word=said("reply", form["status"]), **context)
    return render("staff_forwarding_reply.html", status, form=form, errors=in_order(errors, REPLY_FIELDS), **context)
