"""The moderation audit log in the staff console, at /m/<municipality>/staff/audit: every moderation
decision (proposals, comments, blocks, settings) with filters by action, actor, item and dates, pages of
50, and the same filtered log as a CSV download (audit.csv)."""
from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Response, abort, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import N_, TIMEZONE, bp
from gateway.pages.labels import label
from gateway.pages.calls import fetch
from gateway.pages.render import render
from gateway.pages.session import home_municipality
from gateway.pages.staff import staff_only

PER_PAGE = 50
LJUBLJANA = ZoneInfo(TIMEZONE)
ACTIONS = {
    "approve": N_("Proposal approved"), "reject": N_("Proposal rejected"),
    "request_changes": N_("Changes requested"), "hide": N_("Proposal hidden"), "restore": N_("Proposal restored"),
    "auto_hide": N_("Proposal hidden after reports"), "mark_duplicate": N_("Marked as a duplicate"),
    "hide_comment": N_("Comment hidden"), "dismiss_comment_reports": N_("Comment kept after reports"),
    "block": N_("Account blocked"), "unblock": N_("Account unblocked"),
    "change_settings": N_("Moderation settings changed"),
}
TEXT_FILTERS = ("action", "actor_id", "subject")
FILTERS = TEXT_FILTERS + ("from", "to")


def action_label(code: str | None) -> str:
    text = ACTIONS.get(code or "")
    return _(text) if text else (code or "")


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _query() -> tuple[dict, dict, dict]:
    """The filters as typed, the operation's query from them, and errors tied to the fields."""
    typed = {name: (request.args.get(name) or "").strip()[:64] for name in FILTERS}
    query = {name: typed[name] for name in TEXT_FILTERS if typed[name]}
    errors: dict[str, list[str]] = {}
    if typed["action"] and typed["action"] not in ACTIONS:
        errors["action"] = [_("Choose one of the offered options.")]
    days = {}
    for name in ("from", "to"):
        if typed[name]:
            days[name] = _day(typed[name])
            if days[name] is None:
                errors[name] = [_("Enter a date like 2025-03-31.")]
    if days.get("from") and days.get("to") and days["to"] < days["from"]:
        errors["to"] = [_("The end date must not be before the start date.")]
    if days.get("from"):  # whole days in Ljubljana's time
        query["since"] = datetime.combine(days["from"], time(), LJUBLJANA).isoformat()
    if days.get("to"):
        query["until"] = datetime.combine(days["to"] + timedelta(days=1), time(), LJUBLJANA).isoformat()
    return typed, query, errors


def _page() -> int:
    try:
        return min(max(int(request.args.get("page") or 1), 1), 10000)
    except ValueError:
        return 1


@bp.get("/m/<municipality>/staff/audit")
@staff_only
def staff_audit():
    """The audit log, the latest first, with its filters and the CSV of the same filters."""
    typed, query, errors = _query()
    kept = {name: value for name, value in typed.items() if value}
    options = [(code, _(text)) for code, text in ACTIONS.items()]
    if errors:
        return render("staff_community_audit.html", 422, typed=typed, errors=errors, items=[], total=0, page=1,
                      pages=1, page_url=None, csv_url=None, options=options, action_label=action_label, kept=kept)
    page = _page()
    answer = fetch("moderation_audit", params={**query, "page": page, "per_page": PER_PAGE})
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (403, 404) else 400)
    found = answer.json()
    pages = max(1, math.ceil(found["total"] / PER_PAGE))
    return render("staff_community_audit.html", typed=typed, errors={}, items=found["items"], total=found["total"],
                  page=page, pages=pages, options=options, action_label=action_label, kept=kept, role_label=label,
                  page_url=lambda number: url_for("pages.staff_audit", **kept, page=number if number > 1 else None),
                  csv_url=url_for("pages.staff_audit_csv", **kept),
                  clear_url=url_for("pages.staff_audit") if kept else None)


@bp.get("/m/<municipality>/staff/audit.csv")
@staff_only
def staff_audit_csv():
    """The filtered audit log as a CSV file (oldest first), to open in a spreadsheet."""
    _typed, query, errors = _query()
    if errors:
        abort(400)
    answer = fetch("moderation_audit_csv", params=query)
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (403, 404) else 400)
    name = f"moderation-audit-{home_municipality()}-{datetime.now(LJUBLJANA):%Y-%m-%d}.csv"
    return Response(answer.content, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Content-Type": "text/csv; charset=utf-8"})
