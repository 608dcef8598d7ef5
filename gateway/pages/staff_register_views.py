"""What the register pages show: an import fetched for the page, who made it, its rejected rows a page
at a time, and the reasons for rejecting a row in the visitor's language (never the row's values)."""
from __future__ import annotations

import re

from flask import abort, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import N_
from gateway.pages.calls import fetch
from gateway.pages.session import acting_caller
from gateway.store import Account

ACTIVE = ("queued", "running")
PER_PAGE = 50
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")
EXAMPLE = ("reference,date_of_birth\r\n"
           "IDR-1001,1985-03-14\r\n"
           "IDR-1002,02.07.1990\r\n"
           "IDR-1003,1978-11-30\r\n")
# The voting service's codes for a rejected row (voting.domain.REASONS), in words for staff.
REASONS = {
    "reference_missing": N_("The reference is missing."),
    "reference_invalid": N_("The reference is not 3 to 40 letters, digits, “-” or “/”."),
    "reference_repeated": N_("The reference is already in an earlier row of the file."),
    "date_missing": N_("The date of birth is missing."),
    "date_invalid": N_("The date of birth is not a date in the form YYYY-MM-DD or DD.MM.YYYY."),
    "date_future": N_("The date of birth is in the future."),
    "date_too_early": N_("The date of birth is before 1900."),
}


def reason_label(code: str) -> str:
    text = REASONS.get(code)
    return _(text) if text else code


def job_or_404(job_id: str) -> dict:
    """The import as the voting service reports it (404 for an id of another municipality or none)."""
    if not _JOB_ID.match(job_id):
        abort(404)
    answer = fetch("register_import", job_id=job_id)
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (403, 404) else 503)
    return answer.json()


def rejections_page(job: dict, page: int) -> dict | None:
    """A page of the import's rejected rows, with the links of the pagination."""
    if not job["rejected"]:
        return None
    answer = fetch("register_import_rejections", job_id=job["job_id"],
                   params={"page": max(1, min(page, 100000)), "per_page": PER_PAGE})
    if answer.status_code != 200:
        return None
    found = answer.json()
    found["page_url"] = lambda number: url_for("pages.staff_register_import", job_id=job["job_id"], page=number,
                                               _anchor="rejected")
    return found


def importer(job: dict) -> str:
    """Who made an import, as far as the platform knows: a colleague's name or address, the command line."""
    source = job.get("source")
    if source == "seed":
        return _("the demonstration data")
    if source == "cli":
        return _("the command line (civic eligibility import)")
    account = Account.objects(id=job.get("actor_id")).only("email", "display_name", "municipality", "role").first() \
        if job.get("actor_id") else None
    if account is None or account.role != "staff" or account.municipality != acting_caller().municipality:
        return _("a member of staff")
    if account.id == acting_caller().id:
        return _("you")
    return account.display_name or account.email
