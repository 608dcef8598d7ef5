"""Deliberation: arguments for and against, replies, editing, hiding, endorsing, the strongest arguments. Pure: no I/O."""
from __future__ import annotations

from datetime import datetime

from services.errors import Conflict, DomainError, Forbidden

from voting.domain.states import CLOSED, OPEN, PUBLISHED


ALIGNMENTS = ("for", "against", "neutral")
VISIBLE, DELETED, HIDDEN = "visible", "deleted", "hidden"
MAX_DEPTH = 6


def check_can_comment(role: str, vote_status: str) -> None:
    if role not in ("resident", "staff"):
        raise Forbidden("Only residents and municipal staff take part in the deliberation.")
    if vote_status == CLOSED:
        raise Conflict("The deliberation ended when the vote closed.", code="closed")
    if vote_status not in (PUBLISHED, OPEN):
        raise Conflict(f"The proposal is {vote_status}: it is not open for deliberation.", code="wrong_state")


def reply_depth(parent_depth: int | None) -> int:
    """Depth of a new comment under a parent (None: a top-level comment); threads stay readable."""
    if parent_depth is None:
        return 0
    if parent_depth + 1 > MAX_DEPTH:
        raise DomainError("Replies nest at most six deep; reply higher up the thread.",
                          errors={"json": {"parent_id": ["Too deep."]}})
    return parent_depth + 1


def check_can_edit(author_id: str, caller_id: str, status: str, posted_at: datetime, now: datetime,
                   window_minutes: int) -> None:
    if author_id != caller_id:
        raise Forbidden("Only the author edits a comment.")
    if status != VISIBLE:
        raise Conflict(f"The comment is {status}.", code="wrong_state")
    if (now - posted_at).total_seconds() > window_minutes * 60:
        raise Conflict(f"Comments can be edited for {window_minutes} minutes after posting.", code="wrong_state")


def check_can_delete(author_id: str, caller_id: str, status: str) -> None:
    if author_id != caller_id:
        raise Forbidden("Only the author deletes a comment; staff hide comments with a reason.")
    if status == DELETED:
        raise Conflict("The comment is already deleted.", code="wrong_state")


def check_can_hide(role: str, status: str, reason: str) -> None:
    if role != "staff":
        raise Forbidden("Only municipal staff hide comments.")
    if not (reason or "").strip():
        raise DomainError("Say why the comment is hidden.", errors={"json": {"reason": ["Required."]}})
    if status != VISIBLE:
        raise Conflict(f"The comment is {status}.", code="wrong_state")


def check_can_endorse(role: str, author_id: str, caller_id: str, status: str) -> None:
    if role != "resident":
        raise Forbidden("Only residents endorse arguments.")
    if author_id == caller_id:
        raise Conflict("You cannot endorse your own comment.", code="wrong_state")
    if status != VISIBLE:
        raise Conflict(f"The comment is {status}.", code="wrong_state")


def top_arguments(comments: list[dict], per_side: int = 3) -> dict:
    """The most endorsed visible arguments for and against (ties: the earlier first)."""
    result = {}
    for side in ("for", "against"):
        mine = [c for c in comments if c["alignment"] == side and c["status"] == VISIBLE]
        mine.sort(key=lambda c: (-c.get("endorsements", 0), c["posted_at"]))
        result[side] = mine[:per_side]
    return result


def argument_counts(comments: list[dict]) -> dict:
    counts = {side: 0 for side in ALIGNMENTS}
    for comment in comments:
        if comment["status"] == VISIBLE:
            counts[comment["alignment"]] += 1
    return counts


THREADS_PER_PAGE = 20  # root comments per page of a discussion, each with all its replies


def thread_page(comments: list[dict], page: int, per_page: int, around: str | None = None) -> dict:
    """One page of a discussion: `per_page` root comments (in posting order) with all their replies.
    `comments` is the whole discussion in posting order (a reply after its parent). `around`, a
    comment's id, asks for the page that holds it; a page past the last is the last. Also: the page
    number of every comment's thread (`page_of`), the number of pages and of root comments."""
    root_of: dict[str, str] = {}
    roots: list[str] = []
    for comment in comments:
        parent = root_of.get(comment.get("parent_id") or "")
        root_of[comment["id"]] = parent or comment["id"]
        if parent is None:
            roots.append(comment["id"])
    rank = {root: n // per_page + 1 for n, root in enumerate(roots)}
    page_of = {cid: rank[root] for cid, root in root_of.items()}
    pages = max(1, -(-len(roots) // per_page))
    page = page_of.get(around or "", min(max(1, page), pages))
    return {"comments": [c for c in comments if page_of[c["id"]] == page], "page": page, "per_page": per_page,
            "pages": pages, "threads": len(roots), "page_of": page_of}
