"""The moderation desk's queue page: the filters, the counts per status, one page of items with ticks
for a bulk decision, and the bulk decision's form (shown again with its errors by the bulk preview)."""
from __future__ import annotations

import math

from flask import request
from flask_babel import ngettext

from gateway.pages.calls import processes, themes_of
from gateway.pages.labels import autonym, localised
from gateway.pages.proposals import theme_labeller
from gateway.pages.render import render
from gateway.pages.staff_moderation_common import (
    AGES,
    BULK_ACTIONS,
    PER_PAGES,
    STATUSES,
    age,
    desk_url,
    queue_params,
    read_queue,
    reason_options,
    reasons,
    status_label,
)


def page_number() -> int:
    try:
        return min(max(int(request.args.get("page") or 1), 1), 10000)
    except ValueError:
        return 1


def queue_page(filters: dict[str, str], page: int = 1, ticked: list[str] | None = None,
               bulk: dict | None = None, errors: dict | None = None, status: int = 200, select_all: bool = False):
    """The queue page: the filters, the counts, one page of items with their ticks, the bulk form."""
    listing = read_queue(filters, page)
    process_list = processes()
    theme_label = theme_labeller()
    titles = {p["id"]: localised(p.get("title"), p["id"]) for p in process_list}
    in_process = [p for p in process_list if p["id"] == filters["process"]]
    total, per_page = listing.get("total", 0), int(filters["per_page"])
    pages = max(1, math.ceil(total / per_page))
    items = listing.get("items") or []
    if select_all:
        ticked = [item["id"] for item in items]
    start = (page - 1) * per_page
    options = reason_options(reasons())
    return render(
        "staff_moderation.html", status, filters=filters, listing=listing, items=items, total=total,
        page=page, pages=pages, start=start, ticked=set(ticked or []), bulk=bulk or {}, errors=errors or {},
        counts=listing.get("counts") or {}, statuses=[(code, status_label(code)) for code in STATUSES],
        status_label=status_label, theme_label=theme_label, process_titles=titles, age=age, autonym=autonym,
        process_options=list(titles.items()),
        theme_options=[(code, theme_label(code)) for code in themes_of(in_process or process_list)],
        age_options=[(hours, ngettext("more than %(num)d day", "more than %(num)d days", int(hours) // 24))
                     for hours in AGES],
        per_page_options=[(str(n), str(n)) for n in PER_PAGES],
        actions=BULK_ACTIONS.get(filters["status"], ()), reason_options=options,
        desk_url=desk_url, page_url=lambda number: desk_url("pages.staff_moderation", filters, page=number),
        select_all_url=desk_url("pages.staff_moderation", filters, page=page if page > 1 else None, select="all"),
        clear_url=desk_url("pages.staff_moderation", {"status": filters["status"], **{
            name: "" for name in ("process", "theme", "age", "overdue", "reported")},
            "per_page": filters["per_page"]}),
        params=queue_params(filters))
