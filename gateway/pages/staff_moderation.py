"""The moderation desk: the queue of proposals with filters, counts and overdue flags, one item with its similar proposals and reports, each decision, and bulk decisions with a preview and a confirmation.

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`. This
module has the section, its dashboard cards and the queue; `staff_moderation_item` one item and its
decisions, `staff_moderation_bulk` the bulk decisions; `staff_moderation_common` what they share."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import ngettext

from gateway.pages import staff_moderation_bulk, staff_moderation_decide  # noqa: F401  (register their routes)
from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import fetch
from gateway.pages.staff import Card, section, staff_only
from gateway.pages.staff_moderation_common import chosen_filters
from gateway.pages.staff_moderation_queue import page_number, queue_page


def cards() -> list[Card]:
    """What waits at the desk: pending proposals, the overdue ones, reported and hidden ones."""
    answer = fetch("moderation_queue", params={"status": "pending", "per_page": 1})
    if answer.status_code != 200:
        return []
    queue = answer.json()
    pending, overdue = queue["counts"].get("pending", 0), queue.get("overdue", 0)
    found = [Card(ngettext("proposal awaits moderation", "proposals await moderation", pending),
                  url_for("pages.staff_moderation"), pending)]
    if overdue:
        hours = format(queue.get("target_hours", 0), "g")
        found.append(Card(ngettext("proposal has waited longer than the target of %(hours)s hours",
                                   "proposals have waited longer than the target of %(hours)s hours",
                                   overdue, hours=hours),
                          url_for("pages.staff_moderation", overdue="1"), overdue, urgent=True))
    reported = fetch("moderation_queue", params={"status": "published", "reported": "true", "per_page": 1})
    if reported.status_code == 200 and reported.json().get("total"):
        count = reported.json()["total"]
        found.append(Card(ngettext("published proposal was reported by residents",
                                   "published proposals were reported by residents", count),
                          url_for("pages.staff_moderation", status="published", reported="1"), count))
    hidden = queue["counts"].get("hidden", 0)
    if hidden:
        found.append(Card(ngettext("hidden proposal waits for review", "hidden proposals wait for review", hidden),
                          url_for("pages.staff_moderation", status="hidden"), hidden, urgent=True))
    return found


section("pages.staff_moderation", N_("Moderation desk"), 10, cards=cards, prefixes=("moderation",))


@bp.get("/m/<municipality>/staff/moderation")
@staff_only
def staff_moderation():
    filters, page = chosen_filters(), page_number()
    ticked = request.args.getlist("tick")
    bulk = {"action": request.args.get("action") or "", "reason_code": request.args.get("reason_code") or "",
            "reason": (request.args.get("reason") or "")[:2000]}
    return queue_page(filters, page, ticked=ticked, bulk=bulk, select_all=request.args.get("select") == "all")
