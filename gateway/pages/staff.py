"""The staff console's frame, under /m/<municipality>/staff: who may enter (the staff of the
municipality being viewed; anyone else is sent to sign in or refused with a 403), its sections
(each `staff_*` page module registers one with `section`: its place in the console's menu and the
cards it adds to the dashboard), and the dashboard, "what needs me today"."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import wraps
from typing import Callable

from flask import abort, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import ServiceDown
from gateway.pages.render import render
from gateway.pages.session import acting_caller, sign_in_required

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Card:
    """One line of the dashboard: what waits (`text`, already translated, with its `count`), where
    its queue is, and whether it is urgent (overdue, failing)."""
    text: str
    href: str
    count: int | None = None
    urgent: bool = False


@dataclass(frozen=True)
class Section:
    endpoint: str  # the section's first page, e.g. "pages.staff_moderation"
    title: str  # marked with N_, translated when shown
    order: int
    cards: Callable[[], list[Card]] | None = None  # the section's part of the dashboard
    prefixes: tuple[str, ...] = ()  # paths below /staff/ its pages live under (the menu marks the current one)


SECTIONS: list[Section] = []


def section(endpoint: str, title: str, order: int, cards: Callable[[], list[Card]] | None = None,
            prefixes: tuple[str, ...] = ()) -> None:
    """Register a section of the console (at import of its page module): `prefixes` are the paths
    below /m/<municipality>/staff/ of its pages, e.g. ("moderation",)."""
    if any(entry.endpoint == endpoint for entry in SECTIONS):
        return
    SECTIONS.append(Section(endpoint, title, order, cards, prefixes))
    SECTIONS.sort(key=lambda s: s.order)


def staff_only(view):
    """A console page: signed-out visitors are sent to sign in; anyone who is not staff of the
    municipality being viewed (residents, institutions, operators, another municipality's staff) gets
    a 403. Checked before anything else, so a refused visitor learns nothing about the ids asked for."""
    @sign_in_required
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not acting_caller().is_staff:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def staff_menu() -> list[dict]:
    """The console's menu: each section's link, the current one marked."""
    links = []
    for entry in SECTIONS:
        href, below = url_for(entry.endpoint), url_for("pages.staff_dashboard") + "/"
        current = request.path == href or any(request.path == below + prefix or request.path.startswith(
            below + prefix + "/") for prefix in entry.prefixes)
        links.append({"href": href, "title": _(entry.title), "current": current})
    return links


@bp.app_context_processor
def staff_context():
    return {"staff_menu": staff_menu}


def dashboard_cards() -> list[dict]:
    """Each section's cards; a section whose service cannot answer says so instead of failing the page."""
    groups = []
    for entry in SECTIONS:
        if entry.cards is None:
            continue
        try:
            cards, down = entry.cards(), False
        except ServiceDown:
            cards, down = [], True
        groups.append({"title": _(entry.title), "href": url_for(entry.endpoint), "cards": cards, "down": down})
    return groups


@bp.get("/m/<municipality>/staff")
@staff_only
def staff_dashboard():
    groups = dashboard_cards()
    waiting = sum(card.count or 0 for group in groups for card in group["cards"])
    return render("staff_dashboard.html", groups=groups, waiting=waiting)


section("pages.staff_dashboard", N_("Overview"), 0)
