"""What the moderation desk's pages share: the queue's filters as they travel in the pages' addresses
(so the queue, an item, a bulk preview and its results all lead back to the same filtered queue), the
labels of the desk's statuses and of the reason library, an item's age, and reading the queue."""
from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_timedelta
from flask import abort, request, url_for
from flask_babel import gettext as _

from services.i18n import babel_locale
from gateway.pages.blueprint import N_
from gateway.pages.calls import fetch, try_fetch
from gateway.pages.labels import label
from gateway.pages.render import ERROR_TEXT
from gateway.pages.session import current_language

# The statuses the desk lists, in the order of the desk's tabs (proposals.domain.STATUSES).
STATUSES = ("pending", "changes_requested", "published", "hidden", "rejected", "duplicate", "withdrawn")
STATUS_LABELS = {"pending": N_("Awaiting moderation"), "changes_requested": N_("Changes requested"),
                 "published": N_("Published"), "hidden": N_("Hidden"), "rejected": N_("Not published"),
                 "duplicate": N_("Duplicate"), "withdrawn": N_("Withdrawn")}
# The reason library (proposals.domain.REASONS) in the pages' languages; the service's text otherwise.
REASON_LABELS = {"spam": N_("Spam or advertising."), "offensive": N_("Offensive or discriminatory content."),
                 "off_topic": N_("Not related to the process."), "duplicate": N_("Duplicates an existing proposal."),
                 "personal_data": N_("Contains personal data of others."),
                 "unclear": N_("Too unclear to be discussed."),
                 "not_feasible": N_("Outside what the process can decide.")}
AGES = ("24", "72", "168")  # "waiting longer than": a day, three days, a week (hours)
PER_PAGES = (20, 50, 100)
FILTERS = ("status", "process", "theme", "age", "overdue", "reported", "per_page")
# Which bulk actions and which one-item decisions each status allows (proposals.domain.TRANSITIONS).
BULK_ACTIONS = {"pending": ("approve", "reject"), "published": ("hide",)}


def status_label(code: str | None) -> str:
    text = STATUS_LABELS.get(code or "")
    return _(text) if text else label("status", code)


def reason_options(reasons: list[dict]) -> list[tuple[str, str]]:
    """The library's (code, text) pairs in the visitor's language."""
    return [(r["code"], _(REASON_LABELS[r["code"]]) if r["code"] in REASON_LABELS else r.get("text", r["code"]))
            for r in reasons]


def reasons() -> list[dict]:
    answer = try_fetch("moderation_reasons")
    return answer.json() if answer is not None and answer.status_code == 200 else []


def age(value) -> str:
    """How long an item has waited, in words ("3 days")."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return format_timedelta(datetime.now(UTC) - moment, threshold=1.5, locale=babel_locale(current_language()))


def _choice(source, name: str, allowed, default: str = "") -> str:
    value = source.get(name) or ""
    return value if value in allowed else default


def _code(source, name: str) -> str:
    value = (source.get(name) or "").strip()
    return value if value and len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() else ""


def chosen_filters(source=None) -> dict[str, str]:
    """The queue's filters from a query string or a form (unknown values fall back to "all")."""
    source = request.args if source is None else source
    return {"status": _choice(source, "status", STATUSES, "pending"), "process": _code(source, "process"),
            "theme": _code(source, "theme"), "age": _choice(source, "age", AGES),
            "overdue": _choice(source, "overdue", ("1", "0")), "reported": _choice(source, "reported", ("1", "0")),
            "per_page": _choice(source, "per_page", [str(n) for n in PER_PAGES], str(PER_PAGES[0]))}


def kept(filters: dict[str, str]) -> dict[str, str]:
    """The filters worth writing in an address (the defaults are left out)."""
    return {name: value for name, value in filters.items()
            if value and not (name == "status" and value == "pending")
            and not (name == "per_page" and value == str(PER_PAGES[0]))}


def desk_url(endpoint: str, filters: dict[str, str], **extra) -> str:
    """An address of the desk with the queue's filters kept (`extra` None drops a parameter)."""
    args = {**kept(filters), **extra}
    return url_for(endpoint, **{name: value for name, value in args.items() if value is not None})


def queue_params(filters: dict[str, str], page: int = 1, per_page: int | None = None) -> dict:
    """The moderation_queue operation's parameters for these filters."""
    params = {"status": filters["status"], "process_id": filters["process"] or None,
              "theme": filters["theme"] or None, "older_than_hours": filters["age"] or None,
              "overdue": {"1": "true", "0": "false"}.get(filters["overdue"]),
              "reported": {"1": "true", "0": "false"}.get(filters["reported"]),
              "page": page, "per_page": per_page or int(filters["per_page"])}
    return {name: value for name, value in params.items() if value is not None}


def read_queue(filters: dict[str, str], page: int = 1, per_page: int | None = None) -> dict:
    """One page of the queue (items, total, counts per status, overdue, reported, target_hours)."""
    answer = fetch("moderation_queue", params=queue_params(filters, page, per_page))
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in ERROR_TEXT else 400)
    return answer.json()


def item_at(filters: dict[str, str], position: int) -> tuple[dict | None, int]:
    """The item at `position` (0 = the oldest) of the filtered queue, and the queue's length."""
    if position >= 10000:
        return None, 0
    listing = read_queue(filters, page=position + 1, per_page=1)
    items = listing.get("items") or []
    return (items[0] if items else None), listing.get("total", 0)


def next_url(filters: dict[str, str], position: int, after: str | None = None) -> str:
    """Where to go once the item at `position` is done or skipped: the item now at that place of the
    queue (the next one), else the first one still waiting, else the queue itself."""
    item, total = item_at(filters, position)
    if item is not None and item["id"] == after:  # the decided item is still listed: go past it
        position += 1
        item, total = item_at(filters, position)
    if item is None and total:
        position = 0
        item, _total = item_at(filters, 0)
        if item is not None and item["id"] == after:
            item = None
    if item is None:
        return desk_url("pages.staff_moderation", filters, done="1")
    return desk_url("pages.staff_moderation_item", filters, proposal_id=item["id"], at=position)


def position_arg(source=None) -> int:
    source = request.args if source is None else source
    try:
        value = int(source.get("at") or 0)
    except ValueError:
        return 0
    return value if 0 <= value < 10000 else 0
