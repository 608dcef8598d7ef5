"""The eligibility register: upload a CSV file, follow a large one's progress, read the report of rejected rows, replace or append, and the counts of eligible and verified residents.

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages import staff_register_upload as upload_form
from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import fetch
from gateway.pages.labels import refusal
from gateway.pages.render import render
from gateway.pages.staff import Card, section, staff_only
from gateway.pages.staff_register_views import (ACTIVE, EXAMPLE, REASONS, importer, job_or_404, reason_label,
                                                rejections_page)
from voting.schemas import MAX_UPLOAD_BYTES

FIELDS = ("file", "mode")
REFRESH_SECONDS = 2


def _summary() -> dict:
    answer = fetch("register_summary")
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (403, 404) else 503)
    return answer.json()


def _register_page(errors: dict, mode: str = "append", status: int = 200):
    summary = _summary()
    last = summary.get("last_import")
    return render("staff_register.html", status, summary=summary, last=last, errors=errors, mode=mode,
                  who=importer(last) if last else None, reasons=REASONS, reason_label=reason_label,
                  number=format_decimal, limit=upload_form.megabytes(MAX_UPLOAD_BYTES),
                  limit_rows=format_decimal(MAX_UPLOAD_BYTES // 24 // 10000 * 10000), active=ACTIVE)


@bp.get("/m/<municipality>/staff/register")
@staff_only
def staff_register():
    """The register's counts, its last import, and the upload form."""
    errors = {"file": [upload_form.too_large_message()]} if request.args.get("problem") == "too_large" else {}
    return _register_page(errors, status=413 if errors else 200)


@bp.post("/m/<municipality>/staff/register/imports")
@staff_only
def staff_register_upload():
    """Upload the chosen file: an append starts at once, a replace asks for confirmation first."""
    mode = request.form.get("mode") if request.form.get("mode") in upload_form.MODES else "append"
    try:
        name, text = upload_form.read_upload(request.files.get("file"))
    except upload_form.UploadProblem as problem:
        return _register_page({"file": [str(problem)]}, mode, problem.status)
    answer = fetch("upload_register", json={"csv": text, "replace": mode == "replace", "filename": name})
    if answer.status_code == 202:
        job = answer.json()
        if mode == "append":
            flash(_("The file was uploaded. Its rows are being added to the register."), "success")
        return redirect(url_for("pages.staff_register_import", job_id=job["job_id"]), code=303)
    if upload_form.busy(answer):
        errors = {"_form": [_("Another import of the register is running. Wait until it has finished, "
                              "then upload the file again.")]}
    elif answer.status_code == 422:
        errors = {"file": upload_form.file_problems(answer)}
    else:
        errors = {"_form": [refusal(answer, on_404=_("This municipality could not be found."))]}
    return _register_page(errors, mode, answer.status_code if 400 <= answer.status_code < 500 else 422)


@bp.get("/m/<municipality>/staff/register/imports/<job_id>")
@staff_only
def staff_register_import(job_id):
    """One import: the confirmation of a replace, the progress while it runs, then the report."""
    job = job_or_404(job_id)
    page = request.args.get("page", 1, type=int) or 1
    rejected = rejections_page(job, page) if job["state"] not in ("awaiting_confirmation", "cancelled") else None
    running = job["state"] in ACTIVE
    refreshing = running and request.args.get("refresh") != "off"
    html, status = render("staff_register_import.html", job=job, rejected=rejected, who=importer(job),
                          number=format_decimal, reason_label=reason_label, running=running, refreshing=refreshing,
                          percent=int(100 * job["done_rows"] / job["total_rows"]) if job["total_rows"] else 100)
    # While it runs the page reloads itself, without script: the Refresh header rather than a <meta> one
    # (axe-core counts a timed <meta> refresh as a critical failure of WCAG 2.2.1), and the page offers to
    # stop it (2.2.1: a refresh the visitor can turn off) and to refresh by hand.
    return (html, status, {"Refresh": f"{REFRESH_SECONDS}"}) if refreshing else (html, status)


@bp.post("/m/<municipality>/staff/register/imports/<job_id>/confirm")
@staff_only
def staff_register_confirm(job_id):
    job = job_or_404(job_id)
    answer = fetch("confirm_register_import", job_id=job["job_id"])
    if answer.status_code == 200:
        flash(ngettext("The replacement has started. %(count)s entry not in the file will be taken off the register.",
                       "The replacement has started. %(count)s entries not in the file will be taken off the register.",
                       job.get("removals") or 0, count=format_decimal(job.get("removals") or 0)), "success")
    elif upload_form.busy(answer):
        upload_form.flash_busy()
    else:
        flash(refusal(answer, on_409=_("This import is no longer waiting for confirmation.")), "error")
    return redirect(url_for("pages.staff_register_import", job_id=job["job_id"]), code=303)


@bp.post("/m/<municipality>/staff/register/imports/<job_id>/cancel")
@staff_only
def staff_register_cancel(job_id):
    job = job_or_404(job_id)
    answer = fetch("cancel_register_import", job_id=job["job_id"])
    if answer.status_code == 200:
        flash(_("The replacement was cancelled. The register is unchanged."), "success")
        return redirect(url_for("pages.staff_register"), code=303)
    flash(refusal(answer, on_409=_("Only an import waiting for confirmation can be cancelled.")), "error")
    return redirect(url_for("pages.staff_register_import", job_id=job["job_id"]), code=303)


@bp.get("/m/<municipality>/staff/register/imports/<job_id>/rejected.csv")
@staff_only
def staff_register_rejected_csv(job_id):
    """The import's rejected rows as CSV: row number, code and reason (none of the rows' values)."""
    job = job_or_404(job_id)
    answer = fetch("register_import_rejections_csv", job_id=job["job_id"])
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (403, 404) else 503)
    return Response(answer.content, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="register-rejected-rows-{job["job_id"][:8]}.csv"'})


@bp.get("/m/<municipality>/staff/register/example.csv")
@staff_only
def staff_register_example():
    """An example register file: the header and three rows."""
    return Response(EXAMPLE, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="register-example.csv"'})


def cards() -> list[Card]:
    """The dashboard: the last import's state (running, waiting, failed, rows to review) and the counts."""
    answer = fetch("register_summary")
    if answer.status_code != 200:
        return []
    summary, found = answer.json(), []
    last = summary.get("last_import")
    if last:
        href = url_for("pages.staff_register_import", job_id=last["job_id"])
        state = last["state"]
        if state in ACTIVE:
            found.append(Card(_("An import of the register is running: %(done)s of %(total)s rows",
                                done=format_decimal(last["done_rows"]), total=format_decimal(last["total_rows"])), href))
        elif state == "awaiting_confirmation":
            found.append(Card(_("A replacement of the register waits for your confirmation"), href, count=1))
        elif state == "failed":
            found.append(Card(_("The last import of the register failed: check it and upload the file again"),
                              href, count=1, urgent=True))
        elif state == "done" and last["rejected"]:
            found.append(Card(ngettext("row of the last import was rejected: review the report",
                                       "rows of the last import were rejected: review the report",
                                       last["rejected"]), href, count=last["rejected"]))
    found.append(Card(ngettext("%(count)s resident on the register", "%(count)s residents on the register",
                               summary["eligible"], count=format_decimal(summary["eligible"])),
                      url_for("pages.staff_register")))
    found.append(Card(ngettext("%(count)s resident verified against it", "%(count)s residents verified against it",
                               summary["verified"], count=format_decimal(summary["verified"])),
                      url_for("pages.staff_register")))
    return found


section("pages.staff_register", N_("Eligibility register"), 50, cards=cards, prefixes=("register",))
