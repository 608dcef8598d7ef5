"""What the forwarding section's pages share: the staff's words for dossier statuses and channels, the
institutions directory, and reading a service answer that a page cannot do without."""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _

from gateway.pages.blueprint import N_
from gateway.pages.calls import ServiceDown, fetch, try_fetch
from gateway.pages.labels import localised

# The staff's words for a dossier's status (the residents' pages say it in their own words).
STATUS_WORDS = {
    "awaiting_review": N_("Waiting for review"), "prepared": N_("Prepared, to be sent"),
    "dispatching": N_("Being sent"), "failed": N_("Sending failed, retrying"),
    "abandoned": N_("Abandoned after repeated failures"), "awaiting_manual": N_("To be sent by post or by hand"),
    "sent": N_("Sent, not yet acknowledged"), "acknowledged": N_("Acknowledged"), "replied": N_("Replied"),
    "cancelled": N_("Withdrawn"), "overdue": N_("Reply overdue"), "failing": N_("Failing or abandoned"),
}
# The order the status filter offers them in: what needs staff first.
FILTER_ORDER = ("failing", "overdue", "awaiting_manual", "awaiting_review", "abandoned", "failed", "prepared",
                "dispatching", "sent", "acknowledged", "replied", "cancelled")
URGENT = {"failing", "overdue", "abandoned", "failed"}
CHANNEL_WORDS = {"webhook": N_("Automatic (institution's intake)"), "email": N_("E-mail"),
                 "manual": N_("Post or by hand")}
STEP_EXTRA = ("via", "channel", "attempt", "error", "note", "status", "receipt")


def status_word(code: str | None) -> str:
    text = STATUS_WORDS.get(code or "")
    return _(text) if text else (code or "")


def channel_word(code: str | None) -> str:
    text = CHANNEL_WORDS.get(code or "")
    return _(text) if text else (code or "")


def needed(answer, what: str = "forwarding"):
    """The JSON of an answer the page is made of: 404 as the page's own, a failure as the service down."""
    if answer.status_code == 200:
        return answer.json()
    if answer.status_code in (403, 404):
        abort(404)
    raise ServiceDown(what, "failing")


def directory() -> dict[str, dict]:
    """The national institutions directory by code (empty when it cannot be read)."""
    answer = try_fetch("list_institutions")
    if answer is None or answer.status_code != 200:
        return {}
    return {i["id"]: i for i in answer.json()}


def institution_name(institutions: dict[str, dict], code: str | None) -> str:
    """An institution's name in the visitor's language, with its acronym; the code when unknown."""
    found = institutions.get(code or "")
    if not found:
        return code or ""
    name = localised(found.get("name"), code)
    acronym = localised(found.get("acronym"), "")
    return f"{name} ({acronym})" if acronym and acronym not in name else name


def review_queue() -> list[dict]:
    """The conclusions waiting for staff at review, oldest first."""
    return needed(fetch("routing_queue")).get("conclusions", [])


def tally_words(tally: dict | None) -> str:
    tally = tally or {}
    return _("yes %(yes)s, no %(no)s, abstain %(abstain)s", yes=tally.get("yes", 0), no=tally.get("no", 0),
             abstain=tally.get("abstain", 0))
