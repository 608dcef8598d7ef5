"""Votes: schedule a window, set the rules before opening, open and close, approval votes of a
process, the final result with the recount check.

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`. This
module registers the section, its dashboard cards and the list of votes by state; one vote's pages
are in `staff_votes_vote`, approval votes in `staff_votes_approval`."""
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import fetch, processes
from gateway.pages.labels import label, localised
from gateway.pages.render import render
from gateway.pages.staff import Card, section, staff_only

STATES = ("open", "scheduled", "ready", "closed")  # the list's tabs, in the order staff need them
COMPETENCES = ("municipal", "national", "shared")
CHECKS = ("matched", "mismatch", "pending")
PER_PAGE = 20
SOON = timedelta(hours=24)


def state_labels() -> dict[str, str]:
    return {"open": _("Open now"), "scheduled": _("Scheduled"), "ready": _("Ready to schedule"),
            "closed": _("Closed")}


def check_labels() -> dict[str, str]:
    return {"matched": _("Recount matched"), "mismatch": _("Recount did not match"),
            "pending": _("Not checked yet")}


def _soon() -> str:
    return (datetime.now(UTC) + SOON).isoformat()


def cards() -> list[Card]:
    """What needs the staff today: votes opening and closing within a day, open votes, failed recounts."""
    answer = fetch("list_votes", params={"state": "open", "per_page": 1})
    if answer.status_code != 200:
        return []
    found = answer.json()
    counts, attention = found.get("counts") or {}, found.get("attention") or {}
    result = []
    if attention.get("tally_mismatch"):
        n = attention["tally_mismatch"]
        result.append(Card(ngettext("closed vote whose recount did not match the running count",
                                    "closed votes whose recount did not match the running count", n),
                           url_for("pages.staff_votes", state="closed", check="mismatch"), n, urgent=True))
    if attention.get("closing_soon"):
        n = attention["closing_soon"]
        result.append(Card(ngettext("vote closes within 24 hours", "votes close within 24 hours", n),
                           url_for("pages.staff_votes", state="open", soon="1"), n, urgent=True))
    if attention.get("opening_soon"):
        n = attention["opening_soon"]
        result.append(Card(ngettext("vote opens within 24 hours", "votes open within 24 hours", n),
                           url_for("pages.staff_votes", state="scheduled", soon="1"), n))
    if counts.get("open"):
        result.append(Card(ngettext("vote is open now", "votes are open now", counts["open"]),
                           url_for("pages.staff_votes", state="open"), counts["open"]))
    return result


def _choice(name: str, allowed) -> str:
    value = request.args.get(name) or ""
    return value if value in allowed else ""


@bp.get("/m/<municipality>/staff/votes")
@staff_only
def staff_votes():
    """The municipality's votes in one state, filtered and paged, with the count of every state."""
    state = _choice("state", STATES) or "open"
    process_list = processes()
    titles = {p["id"]: localised(p.get("title"), p["id"]) for p in process_list}
    chosen = {"process": _choice("process", titles), "competence": _choice("competence", COMPETENCES),
              "check": _choice("check", CHECKS) if state == "closed" else "",
              "soon": "1" if request.args.get("soon") == "1" and state in ("open", "scheduled") else ""}
    try:
        page = max(1, min(int(request.args.get("page", "1")), 10000))
    except ValueError:
        page = 1
    answer = fetch("list_votes", params={
        "state": state, "process_id": chosen["process"] or None, "competence": chosen["competence"] or None,
        "tally_check": chosen["check"] or None, "before": _soon() if chosen["soon"] else None,
        "page": page, "per_page": PER_PAGE})
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (403, 404) else 400)
    listing = answer.json()
    pages = max(1, math.ceil(listing.get("total", 0) / PER_PAGE))

    def list_url(**changes) -> str:
        args = {"state": state, **{k: v for k, v in chosen.items() if v}, **changes}
        return url_for("pages.staff_votes", **{k: v for k, v in args.items() if v})

    return render("staff_votes.html", state=state, states=state_labels(), checks=check_labels(),
                  votes=listing.get("items", []), total=listing.get("total", 0), counts=listing.get("counts") or {},
                  attention=listing.get("attention") or {}, page=page, pages=pages, chosen=chosen,
                  process_titles=titles, competences=[(c, label("competence", c)) for c in COMPETENCES],
                  page_url=lambda number: list_url(page=number), tab_url=lambda s: url_for("pages.staff_votes", state=s),
                  clear_url=url_for("pages.staff_votes", state=state),
                  filtered=any(chosen.values()))


section("pages.staff_votes", N_("Votes"), 40, cards=cards, prefixes=("votes",))

from gateway.pages import staff_votes_approval, staff_votes_vote  # noqa: E402,F401  (their pages)
