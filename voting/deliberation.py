"""Use cases of the deliberation: threaded comments with an alignment, edits, deletion, hiding,
reports, endorsements, and the most supported arguments on each side."""
from __future__ import annotations

from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from services.auth import Caller
from services.db import Unit, atomically, new_id, utcnow
from services.errors import Conflict, NotFound
from services.events import Actor, make_event
from services.kept import Kept
from services.limits import Limit
from services.settings import get_settings
from voting import domain
from voting.moderation import check_not_blocked
from voting.store import Comment, CommentReport, Endorsement, Verification, Vote

REPORTS = Limit("comment_reports", lambda: get_settings().reports_per_hour, lambda: timedelta(hours=1),
                "You have sent many reports in the last hour; try again later.")


def _actor(caller: Caller) -> Actor:
    return Actor(caller.role, caller.id)


def _comment(unit: Unit, caller: Caller, comment_id: str) -> Comment:
    comment = unit.get(Comment, {"_id": comment_id, "municipality": caller.municipality})
    if comment is None:
        raise NotFound("No such comment.")
    return comment


def post_comment(caller: Caller, vote_id: str, data: dict) -> Comment:
    def work(unit: Unit) -> Comment:
        vote = unit.get(Vote, {"_id": vote_id, "municipality": caller.municipality})
        if vote is None:
            raise NotFound("This proposal is not (yet) published for deliberation.")
        domain.check_can_comment(caller.role, vote.status)
        check_not_blocked(caller)
        parent = None
        if data.get("parent_id"):
            parent = unit.get(Comment, {"_id": data["parent_id"], "vote_id": vote_id})
            if parent is None:
                raise NotFound("The comment replied to is not on this proposal.",
                               errors={"json": {"parent_id": ["Unknown comment."]}})
        comment = Comment(id=new_id(), vote_id=vote_id, municipality=caller.municipality, author_id=caller.id,
                          parent_id=parent.id if parent else None, alignment=data["alignment"],
                          depth=domain.reply_depth(parent.depth if parent else None), body=data["body"].strip())
        unit.insert(comment)
        unit.emit(make_event("voting.comment_posted", municipality=caller.municipality, aggregate_id=comment.id,
                             actor=_actor(caller), payload={
                                 "comment_id": comment.id, "proposal_id": vote_id, "parent_id": comment.parent_id,
                                 "alignment": comment.alignment, "author_id": caller.id}))
        return comment

    return atomically(work)


def edit_comment(caller: Caller, comment_id: str, data: dict) -> Comment:
    def work(unit: Unit) -> Comment:
        comment = _comment(unit, caller, comment_id)
        domain.check_can_edit(comment.author_id, caller.id, comment.status, comment.posted_at, utcnow(),
                              get_settings().comment_edit_minutes)
        change = {"edited_at": utcnow()}
        if data.get("body"):
            change["body"] = data["body"].strip()
        if data.get("alignment"):
            change["alignment"] = data["alignment"]
        return unit.update(Comment, {"_id": comment_id}, {"$set": change})

    return atomically(work)


def delete_comment(caller: Caller, comment_id: str) -> Comment:
    """The author withdraws their words; replies stay, under a '[deleted]' placeholder."""
    def work(unit: Unit) -> Comment:
        comment = _comment(unit, caller, comment_id)
        domain.check_can_delete(comment.author_id, caller.id, comment.status)
        return unit.update(Comment, {"_id": comment_id}, {"$set": {"status": domain.DELETED, "body": None}})

    return atomically(work)


def hide_comment(caller: Caller, comment_id: str, reason: str) -> Comment:
    def work(unit: Unit) -> Comment:
        comment = _comment(unit, caller, comment_id)
        domain.check_can_hide(caller.role, comment.status, reason)
        comment = unit.update(Comment, {"_id": comment_id}, {"$set": {"status": domain.HIDDEN,
                                                                      "hidden_reason": reason.strip()}})
        unit.emit(make_event("voting.comment_hidden", municipality=caller.municipality, aggregate_id=comment.id,
                             actor=_actor(caller), payload={"comment_id": comment.id, "proposal_id": comment.vote_id,
                                                            "reason": reason.strip(), "author_id": comment.author_id}))
        return comment

    return atomically(work)


def report_comment(caller: Caller, comment_id: str, reason: str) -> Comment:
    """Anyone signed in flags a comment for staff (once per person, reports_per_hour an hour);
    verified residents' reports are counted apart, as only they may weigh toward hiding."""
    check_not_blocked(caller)
    REPORTS.take(caller.id)
    verified = Verification.objects(id=caller.id, municipality=caller.municipality).first() is not None

    def work(unit: Unit) -> Comment:
        comment = _comment(unit, caller, comment_id)
        if comment.author_id == caller.id:
            raise Conflict("You cannot report your own comment.", code="wrong_state")
        unit.insert(CommentReport(id=f"{comment_id}:{caller.id}", comment_id=comment_id, reporter_id=caller.id,
                                  verified=verified, reason=reason.strip()))
        change = {"$inc": {"reports": 1, "verified_reports": int(verified), "pending_reports": 1}}
        if not comment.pending_reports:
            change["$set"] = {"pending_since": utcnow()}
        comment = unit.update(Comment, {"_id": comment_id}, change)
        unit.emit(make_event("voting.comment_reported", municipality=caller.municipality, aggregate_id=comment.id,
                             actor=_actor(caller), payload={"comment_id": comment.id, "proposal_id": comment.vote_id,
                                                            "reason": reason.strip()}))
        return comment

    try:
        return atomically(work)
    except DuplicateKeyError as exc:
        raise Conflict("You have already reported this comment.", code="duplicate") from exc


def endorse(caller: Caller, comment_id: str, on: bool = True) -> Comment:
    """A resident endorses an argument (once); the most endorsed arguments lead each side."""
    endorsement_id = f"{comment_id}:{caller.id}"

    def work(unit: Unit) -> Comment:
        comment = _comment(unit, caller, comment_id)
        domain.check_can_endorse(caller.role, comment.author_id, caller.id, comment.status)
        exists = unit.get(Endorsement, {"_id": endorsement_id}) is not None
        if on == exists:
            return comment
        if on:
            unit.insert(Endorsement(id=endorsement_id, comment_id=comment_id))
        else:
            unit.coll(Endorsement).delete_one({"_id": endorsement_id}, session=unit.session)
        return unit.update(Comment, {"_id": comment_id}, {"$inc": {"endorsements": 1 if on else -1}})

    return atomically(work)


def _public(comment: dict) -> dict:
    shown = dict(comment)
    shown["id"] = shown.pop("_id")
    if shown["status"] != domain.VISIBLE:
        shown["body"] = None
    return shown


# A discussion as its pages read it (every comment, in posting order, each with its author's number),
# read again after this process writes (a comment, an edit, an endorsement, a moderation: all written
# here) or THREAD_SECONDS. Reading a thread of 1,000 comments was most of a proposal page's time.
THREAD_SECONDS = 5.0
THREADS = Kept(THREAD_SECONDS, most=16)


def _thread(vote_id: str) -> list[dict]:
    rows = [_public(c) for c in Comment._get_collection().find({"vote_id": vote_id}).sort("posted_at", 1)]
    numbers: dict[str, int] = {}  # comments carry no names: a number per person, in order of their first
    for row in rows:
        row["author_number"] = numbers.setdefault(row["author_id"], len(numbers) + 1)
    return rows


def list_comments(caller: Caller, vote_id: str, args: dict | None = None) -> dict:
    """One page of the thread in posting order (root comments with all their replies, which carry
    parent_id and depth), the counts and the top arguments of the whole discussion (each with the
    page its thread is on)."""
    args = args or {}
    if not Vote.objects(id=vote_id, municipality=caller.municipality).first():
        raise NotFound("This proposal is not (yet) published for deliberation.")
    rows = THREADS.get(vote_id, lambda: _thread(vote_id))  # shared: read, never changed, from here on
    shown = domain.thread_page(rows, args.get("page", 1), args.get("per_page", domain.THREADS_PER_PAGE),
                               args.get("around"))
    page_of = shown.pop("page_of")
    top = {side: [{**c, "page": page_of[c["id"]]} for c in chosen]
           for side, chosen in domain.top_arguments(rows).items()}
    return {"proposal_id": vote_id, "counts": domain.argument_counts(rows), "top": top, "total": len(rows),
            **shown}


def comments_of(caller: Caller, page: int, per_page: int) -> dict:
    """The caller's own comments in their municipality, newest first (for their data download)."""
    query = Comment.objects(municipality=caller.municipality, author_id=caller.id)
    rows = query.order_by("-posted_at", "-id").skip((page - 1) * per_page).limit(per_page)
    return {"items": list(rows), "page": page, "per_page": per_page, "total": query.count()}
