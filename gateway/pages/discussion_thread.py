"""The thread of a proposal's discussion as the page shows it: one page of root comments with their
replies as a tree, each comment with its author's label and what the visitor may do with it, and the
strongest arguments of the whole discussion linking to where they are (gateway/pages/discussion.py)."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import N_
from gateway.pages.session import acting_caller
from services.settings import get_settings

STANCES = {"for": N_("For"), "against": N_("Against"), "neutral": N_("Neutral")}
MAX_DEPTH = 6  # as voting's reply_depth: a comment at depth 6 takes no replies
ACTIONS = ("reply_to", "edit", "delete", "report", "hide")  # ?<action>=<comment id> opens that form
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def page_asked(opened: tuple[str, str] | None) -> dict:
    """Which page of the thread to show: the one holding the comment a form is open under (`opened`)
    or a link points to (?comment=<id>), else ?comments_page=<n>."""
    around = opened[1] if opened else request.args.get("comment", "")
    if _ID.match(around):
        return {"around": around}
    page = request.args.get("comments_page", "")
    return {"page": min(int(page), 10000)} if page.isdigit() and int(page) > 0 else {}


def opened_form() -> tuple[str, str] | None:
    return next(((a, request.args[a]) for a in ACTIONS if _ID.match(request.args.get(a) or "")), None)


def thread(found: dict, proposal: dict, opened: tuple[str, str] | None, known) -> dict:
    """The thread as a tree (replies under their parent, in posting order), each comment with its author's
    label and what the visitor may do with it; the strongest arguments point into it."""
    caller = acting_caller()
    member, resident = caller.role in ("resident", "staff"), caller.role == "resident"
    window = timedelta(minutes=get_settings().comment_edit_minutes)
    now = datetime.now(UTC)
    shown, roots = {}, []
    for comment in found.get("comments") or []:
        mine = member and comment["author_id"] == caller.id
        visible = comment.get("status") == "visible"
        posted = _moment(comment.get("posted_at"))
        node = {**comment, "replies": [], "mine": mine, "stance": _(STANCES.get(comment["alignment"], "")),
                "author": _author(comment, mine, proposal),
                "paragraphs": _paragraphs(comment.get("body")),
                "editable_until": posted + window if posted else None,
                "can_reply_to": member and visible and (comment.get("depth") or 0) < MAX_DEPTH,
                "can_edit": mine and visible and posted is not None and now < posted + window,
                "can_delete": mine and comment.get("status") != "deleted",
                "can_endorse": resident and not mine and visible,
                "can_report": resident and not mine and visible,
                "can_hide": caller.is_staff and visible, "reported": comment.get("reports", 0) if caller.is_staff else 0,
                "endorsed": known("endorse", comment["id"]) if resident else None}
        node["open"] = opened[0] if opened and opened[1] == comment["id"] and node["can_" + opened[0]] else None
        shown[comment["id"]] = node
        parent = shown.get(comment.get("parent_id") or "")
        (parent["replies"] if parent else roots).append(node)
    top = found.get("top") or {}
    return {"counts": found.get("counts") or {}, "thread": roots, "total": found.get("total", len(shown)),
            "page": found.get("page", 1), "pages": found.get("pages", 1),
            "page_url": lambda number: url_for("pages.proposal", proposal_id=proposal["id"], comments_page=number,
                                               _anchor="thread-title"),
            "strongest": {side: [_strongest(c, shown, proposal, member and c["author_id"] == caller.id)
                                 for c in top.get(side) or []] for side in ("for", "against")}}


def _strongest(comment: dict, shown: dict, proposal: dict, mine: bool) -> dict:
    """A top argument, with a link to it in the thread (on this page, or on the page its thread is on)."""
    if comment["id"] in shown:
        return {**shown[comment["id"]], "href": f"#comment-{comment['id']}"}
    return {**comment, "author": _author(comment, mine, proposal),
            "href": url_for("pages.proposal", proposal_id=proposal["id"], comments_page=comment.get("page") or 1,
                            _anchor=f"comment-{comment['id']}")}


def _author(comment: dict, mine: bool, proposal: dict) -> str:
    """Comments carry no names: a number per person in order of their first comment in the whole
    discussion (the voting service's `author_number`), the same for everyone and on every page."""
    proposer = comment["author_id"] == proposal.get("author_id")
    if mine:
        return _("You, author of the proposal") if proposer else _("You")
    if proposer:
        return _("Author of the proposal")
    return _("Participant %(num)d", num=comment["author_number"])


def _moment(value) -> datetime | None:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value  # the service's ISO 8601
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) if moment else None


def _paragraphs(text: str | None) -> list[list[str]]:
    """Plain text as paragraphs of lines (printed escaped: the text is the resident's, as typed)."""
    text = (text or "").replace("\r\n", "\n").strip()
    return [block.split("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
