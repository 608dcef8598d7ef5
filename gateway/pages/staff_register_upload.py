"""The register upload of the staff console: reading the chosen file (size, kind, text encoding), the
upload's larger body limit on its one route, and the voting service's answers as messages on the form."""
from __future__ import annotations

import re

import requests
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from gateway.pages.blueprint import bp
from gateway.pages.labels import problem_of
from voting.schemas import MAX_UPLOAD_BYTES

UPLOAD_ENDPOINT = "pages.staff_register_upload"
FORM_OVERHEAD = 64 * 1024  # the form's other fields and the multipart boundaries around the file
DRAIN_AT_MOST = 8 * MAX_UPLOAD_BYTES  # read (and drop) a larger body so the browser sees our answer
SUFFIXES = (".csv", ".txt")
MODES = ("append", "replace")


class UploadProblem(ValueError):
    """The chosen file cannot be uploaded; the message (translated) goes next to the file field."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@bp.before_app_request  # before the pages' CSRF check reads the form with the usual body limit
def upload_limit():
    """The upload route takes a file of up to MAX_UPLOAD_BYTES. A larger one is not parsed: its body is
    drained and the visitor is sent back to the form, which says how large a file may be."""
    if request.endpoint != UPLOAD_ENDPOINT:
        return None
    size = request.content_length or 0
    if size <= MAX_UPLOAD_BYTES + FORM_OVERHEAD:
        request.max_content_length = MAX_UPLOAD_BYTES + FORM_OVERHEAD
        return None
    if size <= DRAIN_AT_MOST:
        stream = request.environ["wsgi.input"]
        while stream.read(256 * 1024):
            pass
    return redirect(url_for("pages.staff_register", problem="too_large"), code=303)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def too_large_message() -> str:
    return _("The file is larger than %(size)s. Split it into smaller files and upload them one after "
             "another with “Add to the register”.", size=megabytes(MAX_UPLOAD_BYTES))


def read_upload(upload: FileStorage | None) -> tuple[str, str]:
    """(the file's name, its text) or UploadProblem: no file, not a CSV file, too large, not text."""
    if upload is None or not upload.filename:
        raise UploadProblem(_("Choose the register file (CSV) to upload."))
    name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    if not name.lower().endswith(SUFFIXES):
        raise UploadProblem(_("%(name)s is not a CSV file. Save the register as CSV (comma or semicolon "
                              "separated) and upload that file.", name=name))
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadProblem(too_large_message(), 413)
    if not data.strip():
        raise UploadProblem(_("The file %(name)s is empty.", name=name))
    if b"\x00" in data[:8192]:
        raise UploadProblem(_("%(name)s is not a text file. Save the register as CSV and upload that file.",
                              name=name))
    for encoding in ("utf-8-sig", "cp1250"):  # Excel on Slovene Windows saves CSV in Windows-1250
        try:
            return name, data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadProblem(_("The text of %(name)s could not be read. Save the file as CSV in UTF-8.", name=name))


_MISSING = re.compile(r"^column (\w+) is missing$")
_LINE = re.compile(r"^line (\d+): (a line break inside a field|not readable as CSV)")


def file_problems(answer: requests.Response) -> list[str]:
    """The voting service's refusal of the file's content, as sentences for the file field."""
    problems = ((problem_of(answer).get("errors") or {}).get("json") or {}).get("csv") or []
    messages = []
    for problem in problems if isinstance(problems, list) else [problems]:
        missing, line = _MISSING.match(str(problem)), _LINE.match(str(problem))
        if missing:
            messages.append(_("The file has no column “%(name)s”. Its first row must name the columns: "
                              "reference,date_of_birth.", name=missing[1]))
        elif line and line[2].startswith("a line break"):
            messages.append(_("Line %(line)s has a line break inside a field; put that field in double "
                              "quotes.", line=line[1]))
        elif line:
            messages.append(_("Line %(line)s cannot be read as CSV.", line=line[1]))
        elif problem == "no rows":
            messages.append(_("The file has no rows below its header."))
    return messages or [_("The file could not be read as a register CSV.")]


def busy(answer: requests.Response) -> bool:
    return answer.status_code == 409 and problem_of(answer).get("code") == "busy"


def flash_busy() -> None:
    flash(_("Another import of the register is running. Wait until it has finished, then try again."), "error")
