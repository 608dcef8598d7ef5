"""Forwarding: conclusions awaiting review, dossiers with their status and timeline, retries, manual dispatch, replies by post, the institutions' circuit breakers, municipal action items.

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`. This
module has the section's first page (what waits for review, the dossiers by status, the municipal
action items of shared competence), the institutions' delivery breakers and the dashboard's cards;
`staff_forwarding_review` reviews a conclusion, `staff_forwarding_dossiers` lists and shows dossiers,
`staff_forwarding_actions` retries, marks sent and records replies by post."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages import staff_forwarding_actions, staff_forwarding_dossiers, staff_forwarding_review  # noqa: F401
from gateway.pages import staff_forwarding_translations  # noqa: F401  (a reply's translations)
from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import ServiceDown, fetch, try_fetch
from gateway.pages.proposals import theme_labeller
from gateway.pages.render import render
from gateway.pages.session import home_municipality
from gateway.pages.staff import Card, section, staff_only
from gateway.pages.staff_forwarding_common import (
    FILTER_ORDER,
    URGENT,
    channel_word,
    directory,
    institution_name,
    needed,
    review_queue,
    status_word,
    tally_words,
)


def _counts(**params) -> dict:
    answer = fetch("list_dossiers", params={"per_page": 1, **params})
    if answer.status_code != 200:
        raise ServiceDown("forwarding", "failing")
    return answer.json()


def cards() -> list[Card]:
    """The dashboard: conclusions awaiting review, dossiers failing or abandoned, replies overdue,
    replies received in the last seven days."""
    waiting = len(review_queue())
    counts = _counts()["counts"]
    week_ago = (datetime.now(UTC) - timedelta(days=7)).isoformat()
    replies = _counts(replied_since=week_ago)["total"]
    return [
        Card(ngettext("conclusion awaiting review", "conclusions awaiting review", waiting),
             url_for("pages.staff_forwarding", _anchor="review"), waiting),
        Card(ngettext("dossier failing or abandoned", "dossiers failing or abandoned", counts["failing"]),
             url_for("pages.staff_forwarding_dossiers", status="failing"), counts["failing"],
             urgent=counts["failing"] > 0),
        Card(ngettext("reply overdue", "replies overdue", counts["overdue"]),
             url_for("pages.staff_forwarding_dossiers", status="overdue"), counts["overdue"],
             urgent=counts["overdue"] > 0),
        Card(ngettext("%(num)d reply received in the last 7 days", "%(num)d replies received in the last 7 days",
                      replies), url_for("pages.staff_forwarding_dossiers", status="replied", replied_within=7)),
    ]


section("pages.staff_forwarding", N_("Forwarding"), 60, cards=cards, prefixes=("forwarding",))


def municipal_actions() -> list[dict] | None:
    """Adopted conclusions of shared competence: the municipality acts on its part (the public tracker
    says which conclusions made an action item); None when the tracker cannot be read."""
    answer = try_fetch("tracker", params={"municipality": home_municipality()})
    if answer is None or answer.status_code != 200:
        return None
    return [c for c in answer.json().get("conclusions", []) if c.get("municipal_action")]


@bp.get("/m/<municipality>/staff/forwarding")
@staff_only
def staff_forwarding():
    queue = review_queue()
    counts = needed(fetch("list_dossiers", params={"per_page": 1}))["counts"]
    institutions = directory()
    return render("staff_forwarding.html", queue=queue, counts=counts, institutions=institutions,
                  filters=[(code, status_word(code), counts.get(code, 0), code in URGENT) for code in FILTER_ORDER],
                  actions=municipal_actions(), name_of=lambda code: institution_name(institutions, code),
                  tally_words=tally_words, theme_label=theme_labeller(), status_word=status_word)


@bp.get("/m/<municipality>/staff/forwarding/institutions")
@staff_only
def staff_forwarding_breakers():
    """Each institution's delivery circuit breaker: closed, open until its cooldown ends, or half-open."""
    institutions = directory()
    rows = []
    for code, institution in sorted(institutions.items(), key=lambda item: institution_name(institutions, item[0])):
        answer = try_fetch("institution_breaker", code=code)
        state = answer.json() if answer is not None and answer.status_code == 200 else None
        rows.append({"code": code, "name": institution_name(institutions, code), "state": state,
                     "channel": channel_word(institution.get("channel"))})
    rows.sort(key=lambda row: (not (row["state"] or {}).get("open"), not (row["state"] or {}).get("half_open"),
                               -((row["state"] or {}).get("failures") or 0)))
    return render("staff_forwarding_breakers.html", rows=rows,
                  troubled=sum(1 for row in rows if (row["state"] or {}).get("failures")), breaker_word=breaker_word)


def breaker_word(state: dict | None) -> str:
    if state is None:
        return _("Not known right now")
    if state.get("open"):
        return _("Open: sending paused")
    if state.get("half_open"):
        return _("Half-open: the next attempt is a trial")
    return _("Closed: sending normally")

