"""The institution's reply in the portal: its status, text, a plain-language summary for residents and
up to three attached files (PDF, PNG, JPEG, ODT or DOCX, told by their content in forwarding), sent once
and published at once; and the public download of a published reply's attachments."""
from __future__ import annotations

import base64

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import in_order, problem_errors, problem_of, refusal
from gateway.pages.portal import (
    MAX_FILE_BYTES,
    MAX_FILES,
    dossier_view,
    link_refused,
    load,
    portal_call,
    too_large_message,
    with_token,
)

REPLY_ENDPOINT = "pages.portal_reply_page"
BODY_LIMIT = MAX_FILES * MAX_FILE_BYTES + 256 * 1024  # the files, the texts and the multipart around them
DRAIN_AT_MOST = 4 * BODY_LIMIT
FIELDS = ("status", "forwarded_to", "text", "summary", "attachments", "confirm")
STATUSES = ("accepted", "partly", "rejected", "forwarded")


@bp.before_app_request  # before the pages' CSRF check reads the form with the usual body limit
def reply_upload_limit():
    """The reply form takes its files; a larger body is drained, and the form says how large they may be."""
    if request.endpoint != REPLY_ENDPOINT:
        return None
    size = request.content_length or 0
    if size <= BODY_LIMIT:
        request.max_content_length = BODY_LIMIT
        return None
    if size <= DRAIN_AT_MOST:
        stream = request.environ["wsgi.input"]
        while stream.read(256 * 1024):
            pass
    values = request.view_args or {}
    token = request.args.get("token")
    return redirect(url_for("pages.portal_dossier_page", dossier_id=values.get("dossier_id", ""),
                            problem="too_large", **({"token": token} if token else {})) + "#attachments", code=303)


def _files(errors: dict) -> list[dict]:
    """The chosen files as the reply's attachments; a field error for too many or too large ones."""
    chosen = [f for f in request.files.getlist("attachments") if f and f.filename]
    if len(chosen) > MAX_FILES:
        errors["attachments"] = [too_large_message()]
        return []
    found = []
    for upload in chosen:
        name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        raw = upload.stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            errors["attachments"] = [_("%(name)s is larger than %(size)s.", name=name, size="10 MB")]
            return []
        if not raw:
            errors["attachments"] = [_("%(name)s is empty.", name=name)]
            return []
        found.append({"filename": name, "content_type": upload.mimetype or "application/octet-stream",
                      "content_base64": base64.b64encode(raw).decode()})
    return found


def _answer_errors(answer, files: list[dict]) -> dict:
    """The service's refusal as messages on the form's fields (a file by its name)."""
    errors = problem_errors(answer)
    nested = ((problem_of(answer).get("errors") or {}).get("json") or {}).get("attachments")
    if isinstance(nested, dict):
        number = next(iter(nested), "0")
        name = files[int(number)]["filename"] if str(number).isdigit() and int(number) < len(files) else ""
        code = problem_of(answer).get("code")
        errors["attachments"] = [
            _("%(name)s is not a PDF, PNG, JPEG, ODT or DOCX file.", name=name) if code == "file_type" else
            _("%(name)s is larger than %(size)s.", name=name, size="10 MB") if code == "too_large" else
            _("%(name)s could not be attached.", name=name)]
    return errors or {"_form": [refusal(answer)]}


@bp.post("/portal/dossiers/<dossier_id>/reply")
def portal_reply_page(dossier_id):
    dossier = load(checked_id(dossier_id))
    if dossier is None:
        return link_refused()
    form = {name: (request.form.get(name) or "").strip() for name in ("status", "text", "summary", "forwarded_to")}
    errors: dict[str, list[str]] = {}
    if form["status"] not in STATUSES:
        errors["status"] = [_("Choose what the institution decided.")]
    if form["status"] == "forwarded" and not form["forwarded_to"]:
        errors["forwarded_to"] = [_("Say which body the dossier was forwarded to.")]
    if not form["text"]:
        errors["text"] = [_("Write the reply.")]
    if len(form["summary"]) > 2000:
        errors["summary"] = [_("Use at most %(max)s characters.", max=2000)]
    files = _files(errors)
    if request.form.get("confirm") != "yes":
        errors["confirm"] = [_("Confirm that this is the institution's reply: it is published at once and "
                               "cannot be changed.")]
    if not errors:
        body = {"status": form["status"], "text": form["text"], "summary": form["summary"] or None,
                "forwarded_to": form["forwarded_to"] or None, "attachments": files}
        answer = portal_call("portal_reply", json=body, dossier_id=dossier_id)
        if answer.status_code == 201:
            flash(_("Your reply was sent and published on the proposal's page. Thank you."), "success")
            return redirect(with_token("pages.portal_dossier_page", dossier_id=dossier_id) + "#reply", code=303)
        if answer.status_code in (401, 403, 404):
            return link_refused()
        errors = _answer_errors(answer, files)
    return dossier_view(dossier, 422, form=form, errors=in_order(errors, FIELDS), confirmed=False)


@bp.get("/m/<municipality>/proposals/<proposal_id>/replies/<dossier_id>/attachments/<int:number>")
def reply_attachment_download(proposal_id, dossier_id, number):
    """A file of an institution's published reply, downloaded as it was kept (its digest is on the page)."""
    answer = fetch("reply_attachment", proposal_id=checked_id(proposal_id), dossier_id=checked_id(dossier_id),
                   number=number)
    if answer.status_code != 200:
        abort(404 if answer.status_code in (403, 404) else 503)
    return Response(answer.content, mimetype=answer.headers.get("Content-Type", "application/octet-stream"),
                    headers={"Content-Disposition": answer.headers.get("Content-Disposition", "attachment"),
                             "X-Content-Type-Options": "nosniff"})
