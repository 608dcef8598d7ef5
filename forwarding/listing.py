"""A municipality's dossiers for its staff: one dossier, and the list filtered by status (or overdue /
failing), institution, channel and reply date, paged, with the count of each status."""
from __future__ import annotations

from forwarding import clock, domain
from forwarding.store import Conclusion, Dossier, Institution
from services.auth import Caller
from services.errors import Forbidden, NotFound

OVERDUE, FAILING = "overdue", "failing"
STATUSES = (domain.AWAITING_REVIEW, domain.PREPARED, domain.DISPATCHING, domain.FAILED, domain.ABANDONED,
            domain.AWAITING_MANUAL, domain.SENT, domain.ACKNOWLEDGED, domain.REPLIED, domain.CANCELLED)
FILTERS = (*STATUSES, OVERDUE, FAILING)
SORTS = {"newest": ("-created_at", "-id"), "oldest": ("created_at", "id"), "due": ("due_at", "id")}


def _staff(caller: Caller, what: str) -> None:
    if caller.role != "staff":
        raise Forbidden(f"Only municipal staff {what}.")


def _status_query(status: str | None, now) -> dict:
    if status == OVERDUE:
        return {"status": {"$in": list(domain.AWAITING_REPLY)}, "due_at": {"$lt": now}}
    if status == FAILING:
        return {"status": {"$in": [domain.FAILED, domain.ABANDONED]}}
    return {"status": status} if status else {}


def _counts(base: dict, now) -> dict:
    """How many of the municipality's dossiers (within the institution and channel filters) are in each
    status, with the overdue and failing ones."""
    counts = {status: 0 for status in FILTERS}
    for row in Dossier._get_collection().aggregate([{"$match": base},
                                                    {"$group": {"_id": "$status", "n": {"$sum": 1}}}]):
        if row["_id"] in counts:
            counts[row["_id"]] = row["n"]
    counts[FAILING] = counts[domain.FAILED] + counts[domain.ABANDONED]
    counts[OVERDUE] = Dossier._get_collection().count_documents({**base, **_status_query(OVERDUE, now)})
    return counts


def present(dossier: Dossier, conclusion: Conclusion | None, now) -> dict:
    """One row of the list: the dossier, its conclusion's title and theme, whether its reply is overdue."""
    data = conclusion.data if conclusion else {}
    reply = dossier.reply or {}
    return {"id": dossier.id, "proposal_id": dossier.proposal_id, "title": data.get("title"),
            "theme": data.get("theme"), "competence": data.get("competence"),
            "institution_id": dossier.institution_id, "channel": dossier.channel, "status": dossier.status,
            "attempts": dossier.attempts, "last_error": dossier.last_error, "created_at": dossier.created_at,
            "dispatched_at": dossier.dispatched_at, "acknowledged_at": dossier.acknowledged_at,
            "due_at": dossier.due_at, "replied_at": dossier.replied_at, "reply_status": reply.get("status"),
            "reply_via": reply.get("via"),
            "overdue": bool(dossier.due_at and dossier.status in domain.AWAITING_REPLY and dossier.due_at < now)}


def list_dossiers(caller: Caller, args: dict) -> dict:
    """Staff: the municipality's dossiers, filtered and paged (newest first unless sorted otherwise)."""
    _staff(caller, "list the municipality's dossiers")
    now = clock.now()
    base = {"municipality": caller.municipality}
    for name in ("institution_id", "channel", "proposal_id"):
        if args.get(name):
            base[name] = args[name]
    query = {**base, **_status_query(args.get("status"), now)}
    if args.get("replied_since"):
        query["replied_at"] = {"$gte": args["replied_since"]}
    page, per_page = args["page"], args["per_page"]
    found = Dossier.objects(__raw__=query)
    rows = list(found.order_by(*SORTS[args.get("sort") or "newest"]).skip((page - 1) * per_page).limit(per_page))
    conclusions = {c.id: c for c in Conclusion.objects(id__in=list({d.proposal_id for d in rows}))
                   .only("id", "data")}
    return {"items": [present(d, conclusions.get(d.proposal_id), now) for d in rows], "page": page,
            "per_page": per_page, "total": found.count(), "counts": _counts(base, now)}


def get_dossier(caller: Caller, dossier_id: str) -> dict:
    """Staff: one dossier of the municipality, whole (document, delivery error, timeline, reply), with
    its conclusion's title, vote and staff note."""
    _staff(caller, "read the municipality's dossiers")
    dossier = Dossier.objects(id=dossier_id, municipality=caller.municipality).first()
    if dossier is None:
        raise NotFound("No such dossier.")
    conclusion = Conclusion.objects(id=dossier.proposal_id).first()
    data = conclusion.data if conclusion else {}
    whole = {name: getattr(dossier, name) for name in WHOLE}
    return {**whole, **present(dossier, conclusion, clock.now()), "outcome": data.get("outcome"),
            "tally": data.get("tally"), "staff_note": conclusion.staff_note if conclusion else None}


WHOLE = ("digest", "signature", "key_id", "receipt", "reply", "timeline", "document")


# --- the institution portal's list (issue 13) -----------------------------------------------

PORTAL_STATUSES = (domain.SENT, domain.ACKNOWLEDGED, domain.REPLIED)  # what has reached the institution


def _portal_query(status: str | None, now) -> dict:
    if status == OVERDUE:
        return _status_query(OVERDUE, now)
    return {"status": status} if status else {"status": {"$in": list(PORTAL_STATUSES)}}


def institution_dossiers(caller: Caller, args: dict) -> dict:
    """An institution account: every dossier that reached the bodies it acts for, in every municipality,
    filtered by status (or overdue) and municipality, paged, the soonest due first."""
    if caller.role != "institution":
        raise Forbidden("Only institution accounts list their dossiers.")
    now = clock.now()
    bodies = [i.id for i in Institution.objects(account_ids=caller.id).only("id")]
    if not bodies:
        raise Forbidden("This account acts for no institution of the directory.")
    reached = {"institution_id": {"$in": bodies}, "status": {"$in": list(PORTAL_STATUSES)}}
    municipalities = sorted(Dossier._get_collection().distinct("municipality", reached))
    base = {**reached, **({"municipality": args["municipality"]} if args.get("municipality") else {})}
    query = {**base, **_portal_query(args.get("status"), now)}
    page, per_page = args["page"], args["per_page"]
    found = Dossier.objects(__raw__=query)
    rows = list(found.order_by("due_at", "id").skip((page - 1) * per_page).limit(per_page))
    conclusions = {c.id: c for c in Conclusion.objects(id__in=list({d.proposal_id for d in rows})).only("id", "data")}
    counts = {status: Dossier._get_collection().count_documents({**base, **_portal_query(status, now)})
              for status in (*PORTAL_STATUSES, OVERDUE)}
    items = [{**present(d, conclusions.get(d.proposal_id), now), "municipality": d.municipality} for d in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": found.count(), "counts": counts,
            "municipalities": municipalities}
