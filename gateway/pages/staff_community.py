"""Reported comments, blocked accounts and the moderation audit log (with filters and its CSV download).

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`. This module
holds the section's registration, its dashboard cards and the reported comments at
/m/<municipality>/staff/comments (waiting, hidden, kept after review; hide with a reason, keep, block the
author); the blocks and the audit log are in staff_community_blocks and staff_community_audit."""
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages import staff_community_audit, staff_community_blocks  # noqa: F401  (their pages)
from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import checked_id, fetch, try_fetch
from gateway.pages.labels import problem_errors, refusal
from gateway.pages.render import render
from gateway.pages.staff import Card, section, staff_only

PER_PAGE = 20
STATUSES = {"waiting": N_("Waiting"), "hidden": N_("Hidden"), "dismissed": N_("Kept after review")}
URGENT_COUNT = 10  # this many waiting, or one waiting this long, is urgent
URGENT_AGE = timedelta(hours=24)


def _status() -> str:
    status = request.values.get("status") or "waiting"
    return status if status in STATUSES else "waiting"


def _page() -> int:
    try:
        return min(max(int(request.values.get("page") or 1), 1), 10000)
    except ValueError:
        return 1


def _listing_url(status: str, page: int = 1, **extra) -> str:
    args = {"status": status if status != "waiting" else None, "page": page if page > 1 else None, **extra}
    return url_for("pages.staff_comments", **{k: v for k, v in args.items() if v is not None})


def _blocked_ids() -> set[str] | None:
    answer = try_fetch("list_blocks")
    return {b["user_id"] for b in answer.json()} if answer is not None and answer.status_code == 200 else None


def _comments_page(status: str, page: int, opened: str | None = None, typed: str = "",
                   errors: dict | None = None, code: int = 200):
    answer = fetch("reported_comments", params={"status": status, "page": page, "per_page": PER_PAGE})
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (403, 404) else 400)
    found = answer.json()
    pages = max(1, math.ceil(found["total"] / PER_PAGE))
    if page > pages:
        return redirect(_listing_url(status, pages))
    tabs = [{"status": key, "title": _(text), "count": found["counts"].get(key, 0), "href": _listing_url(key),
             "current": key == status} for key, text in STATUSES.items()]
    return render("staff_community_comments.html", code, items=found["items"], total=found["total"],
                  status=status, status_title=_(STATUSES[status]), tabs=tabs, page=page, pages=pages,
                  page_url=lambda number: _listing_url(status, number), opened=opened, typed=typed,
                  errors=errors or {}, blocked=_blocked_ids(),
                  hide_url=lambda cid: _listing_url(status, page, hide=cid, _anchor=f"hide-{cid}"))


@bp.get("/m/<municipality>/staff/comments")
@staff_only
def staff_comments():
    """The reported comments of one status, the most reported first, with their reports."""
    opened = request.args.get("hide")
    return _comments_page(_status(), _page(), checked_id(opened) if opened else None)


@bp.get("/m/<municipality>/staff/comments/<comment_id>/<action>")
@staff_only
def staff_comment_back(comment_id, action):
    """A form's address opened as a page (a 422's language links lead there): back to the list."""
    return redirect(_listing_url(_status(), _page()))


@bp.post("/m/<municipality>/staff/comments/<comment_id>/hide")
@staff_only
def staff_comment_hide(comment_id):
    comment_id = checked_id(comment_id)
    status, page, reason = _status(), _page(), (request.form.get("reason") or "").strip()
    if not reason:
        return _comments_page(status, page, comment_id, reason, {"reason": [_("Say why the comment is hidden.")]},
                              422)
    answer = fetch("hide_comment", comment_id=comment_id, json={"reason": reason})
    if answer.status_code == 200:
        flash(_("The comment is hidden from the discussion; residents see the reason in its place. "
                "It is listed under “Hidden”."), "success")
    elif answer.status_code == 422 and problem_errors(answer).get("reason"):
        return _comments_page(status, page, comment_id, reason, {"reason": problem_errors(answer)["reason"]}, 422)
    else:
        flash(refusal(answer, on_404=_("This comment is no longer in the discussion."),
                      on_409=_("This comment was already hidden or deleted; the list shows its current state.")),
              "error")
    return redirect(_listing_url(status, page))


@bp.post("/m/<municipality>/staff/comments/<comment_id>/dismiss")
@staff_only
def staff_comment_dismiss(comment_id):
    """Keep the comment: its reports stop waiting (a new report brings it back)."""
    answer = fetch("dismiss_comment_reports", comment_id=checked_id(comment_id))
    if answer.status_code == 200:
        flash(_("The comment stays in the discussion and its reports no longer wait. "
                "It is listed under “Kept after review”; a new report brings it back."), "success")
    else:
        flash(refusal(answer, on_404=_("This comment is no longer in the discussion."),
                      on_409=_("No report of this comment is waiting any more; the list shows its current state.")),
              "error")
    return redirect(_listing_url(_status(), _page()))


def _age_is_urgent(oldest: str | None) -> bool:
    if not oldest:
        return False
    moment = datetime.fromisoformat(oldest)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC) - moment > URGENT_AGE


def cards() -> list[Card]:
    """Reported comments waiting (urgent when many, or one waited a day), and the accounts blocked."""
    answer = fetch("reported_comments", params={"status": "waiting", "per_page": 1})
    found = answer.json() if answer.status_code == 200 else {"counts": {}}
    waiting = found["counts"].get("waiting", 0)
    result = [Card(ngettext("reported comment waiting for review", "reported comments waiting for review", waiting),
                   url_for("pages.staff_comments"), waiting,
                   urgent=waiting >= URGENT_COUNT or (waiting > 0 and _age_is_urgent(found.get("oldest_waiting_at"))))]
    blocks = try_fetch("list_blocks")
    if blocks is not None and blocks.status_code == 200 and blocks.json():
        count = len(blocks.json())  # not a count of things waiting: no `count`, the dashboard does not add it up
        result.append(Card(ngettext("%(num)d account blocked", "%(num)d accounts blocked", count),
                           url_for("pages.staff_blocks")))
    return result


section("pages.staff_comments", N_("Reports and blocks"), 20, cards=cards, prefixes=("comments", "blocks", "audit"))
