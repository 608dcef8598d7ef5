"""Staff's side of the deliberation: the reported comments (waiting, hidden, kept after review) with
their reports, dismissing a comment's reports, and the accounts staff blocked (a projection of the
proposals service's blocks: a blocked account cannot comment)."""
from __future__ import annotations

from services.auth import Caller
from services.db import Unit, atomically
from services.errors import Conflict, Forbidden, NotFound
from services.events import Actor, make_event
from voting import domain
from voting.schemas import REPORTED_STATUSES as STATUSES
from voting.store import BlockedAccount, Comment, CommentReport, Vote

WAITING, HIDDEN, DISMISSED = STATUSES
# Comments reported before pending_reports was kept count as waiting while they have reports.
_UNREVIEWED = {"$or": [{"pending_reports": {"$gt": 0}}, {"pending_reports": {"$exists": False}, "reports": {"$gt": 0}}]}


def _staff(caller: Caller) -> None:
    if caller.role != "staff":
        raise Forbidden("Only municipal staff moderate the deliberation.")


def _filter(municipality: str, status: str) -> dict:
    mine = {"municipality": municipality}
    if status == HIDDEN:
        return {**mine, "status": domain.HIDDEN}
    if status == DISMISSED:
        return {**mine, "status": domain.VISIBLE, "reports": {"$gt": 0}, "pending_reports": 0}
    return {**mine, "status": domain.VISIBLE, **_UNREVIEWED}


def reported(caller: Caller, args: dict) -> dict:
    """One status's comments, the most reported first (then the earliest posted), each with its reports
    (reason, when, whether by a verified resident; never who), its proposal's title, and the counts."""
    _staff(caller)
    comments = Comment._get_collection()
    query = _filter(caller.municipality, args["status"])
    page, per_page = args["page"], args["per_page"]
    rows = list(comments.find(query).sort([("reports", -1), ("posted_at", 1), ("_id", 1)])
                .skip((page - 1) * per_page).limit(per_page))
    ids = [row["_id"] for row in rows]
    reports: dict[str, list] = {cid: [] for cid in ids}
    for found in CommentReport.objects(comment_id__in=ids).order_by("at"):
        reports[found.comment_id].append({"reason": found.reason, "at": found.at, "verified": found.verified})
    titles = {vote.id: vote.title for vote in Vote.objects(id__in=list({row["vote_id"] for row in rows}))}
    items = []
    for row in rows:
        item = {**row, "id": row["_id"], "proposal_title": titles.get(row["vote_id"]),
                "report_list": reports[row["_id"]], "pending_reports": row.get("pending_reports", row["reports"])}
        item["first_reported_at"] = item["report_list"][0]["at"] if item["report_list"] else None
        items.append(item)
    counts = {status: comments.count_documents(_filter(caller.municipality, status)) for status in STATUSES}
    oldest = next(iter(comments.find({**_filter(caller.municipality, WAITING), "pending_since": {"$ne": None}},
                                     {"pending_since": 1}).sort("pending_since", 1).limit(1)), None)
    return {"items": items, "page": page, "per_page": per_page, "total": counts[args["status"]],
            "counts": counts, "oldest_waiting_at": oldest["pending_since"] if oldest else None}


def dismiss_reports(caller: Caller, comment_id: str) -> Comment:
    """Staff read the reports and keep the comment: they stop waiting (a new report brings it back)."""
    _staff(caller)

    def work(unit: Unit) -> Comment:
        comment = unit.get(Comment, {"_id": comment_id, "municipality": caller.municipality})
        if comment is None:
            raise NotFound("No such comment.")
        if comment.status != domain.VISIBLE:
            raise Conflict(f"The comment is {comment.status}.", code="wrong_state")
        if not comment.reports or unit.coll(Comment).count_documents(
                {"_id": comment_id, **_UNREVIEWED}, session=unit.session) == 0:
            raise Conflict("No report of this comment is waiting.", code="wrong_state")
        comment = unit.update(Comment, {"_id": comment_id}, {"$set": {"pending_reports": 0, "pending_since": None}})
        unit.emit(make_event("voting.comment_reports_dismissed", municipality=caller.municipality,
                             aggregate_id=comment.id, actor=Actor(caller.role, caller.id), payload={
                                 "comment_id": comment.id, "proposal_id": comment.vote_id,
                                 "reports": comment.reports}))
        return comment

    return atomically(work)


def is_blocked(municipality: str, user_id: str) -> bool:
    return BlockedAccount.objects(id=f"{municipality}:{user_id}").first() is not None


def check_not_blocked(caller: Caller) -> None:
    if is_blocked(caller.municipality, caller.id):
        raise Forbidden("Your account is blocked from contributing in this municipality.", code="blocked")


def on_user_blocked(event: dict) -> None:
    user_id, municipality = event["payload"]["user_id"], event["municipality"]
    atomically(lambda unit: unit.save(BlockedAccount(id=f"{municipality}:{user_id}", municipality=municipality,
                                                     user_id=user_id)),
               consumer="voting.blocks", cause=event)


def on_user_unblocked(event: dict) -> None:
    key = f"{event['municipality']}:{event['payload']['user_id']}"
    atomically(lambda unit: unit.coll(BlockedAccount).delete_one({"_id": key}, session=unit.session),
               consumer="voting.blocks", cause=event)


HANDLERS = {"proposals.user_blocked": on_user_blocked, "proposals.user_unblocked": on_user_unblocked}
