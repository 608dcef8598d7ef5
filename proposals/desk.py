"""The moderation desk's reading side and settings: queue with counts, audit log and CSV,
reason library, per-municipality settings, blocking users."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from proposals import domain
from proposals.common import audit, emit, settings_of
from proposals.handlers import present
from proposals.store import AuditEntry, Block, ModerationSettings, Proposal, Report
from services.auth import Caller
from services.db import Unit, atomically, utcnow
from services.errors import Conflict, Forbidden, NotFound

AUDIT_COLUMNS = ("at", "action", "subject", "actor_role", "actor_id", "from_status", "to_status", "reason", "id")


def _staff(caller: Caller) -> None:
    if caller.role != "staff":
        raise Forbidden("Only municipal staff use the moderation desk.")


def queue(caller: Caller, args: dict) -> dict:
    """Proposals by status with filters, plus counts per status, overdue and reported items."""
    _staff(caller)
    mine = Proposal.objects(municipality=caller.municipality)
    target = settings_of(caller.municipality).target_hours
    now = utcnow()
    late = now - timedelta(hours=target)
    query = mine(status=args["status"])
    for name in ("theme", "process_id"):
        if args.get(name):
            query = query(**{name: args[name]})
    if args.get("older_than_hours") is not None:
        query = query(submitted_at__lt=now - timedelta(hours=args["older_than_hours"]))
    if args.get("reported") is not None:
        query = query(reports__gt=0) if args["reported"] else query(reports=0)
    if args.get("overdue") is not None:
        query = query(status=domain.PENDING, submitted_at__lt=late) if args["overdue"] else \
            query(submitted_at__gte=late)
    page, per_page = args["page"], args["per_page"]
    # Oldest first: the desk works through what has waited longest.
    items = [present(p, with_overdue=True)
             for p in query.order_by("submitted_at", "id").skip((page - 1) * per_page).limit(per_page)]
    _with_reporters(items)
    counts = {status: 0 for status in domain.STATUSES}
    for row in Proposal._get_collection().aggregate([
            {"$match": {"municipality": caller.municipality}},
            {"$group": {"_id": "$status", "n": {"$sum": 1}}}]):
        counts[row["_id"]] = row["n"]
    return {"items": items, "page": page, "per_page": per_page, "total": query.count(), "counts": counts,
            "overdue": mine(status=domain.PENDING, submitted_at__lt=late).count(),
            "reported": mine(reports__gt=0, status__in=[domain.PUBLISHED, domain.HIDDEN]).count(),
            "target_hours": target}


def _with_reporters(items: list[dict]) -> None:
    """Who reported each item, whether they were a verified resident then, when and why (staff only)."""
    for item in items:
        item["reporters"] = []
    by_id = {item["id"]: item for item in items if item.get("reports")}
    for found in Report.objects(proposal_id__in=list(by_id)).order_by("at"):
        by_id[found.proposal_id]["reporters"].append({
            "reporter_id": found.reporter_id, "verified": found.verified, "at": found.at, "reason": found.reason})


def reasons() -> list[dict]:
    return [{"code": code, "text": text} for code, text in domain.REASONS.items()]


def get_settings_of(caller: Caller) -> dict:
    _staff(caller)
    return _settings_out(settings_of(caller.municipality))


def _settings_out(settings: ModerationSettings) -> dict:
    return {"municipality": settings.id, "auto_hide_reports": settings.auto_hide_reports,
            "target_hours": settings.target_hours, "require_justification": settings.require_justification,
            "summary_hours": settings.summary_hours, "summary_sent_at": settings.summary_sent_at}


def change_settings(caller: Caller, data: dict) -> dict:
    _staff(caller)
    settings = settings_of(caller.municipality)
    for name, value in data.items():
        setattr(settings, name, value)

    def work(unit: Unit) -> ModerationSettings:
        unit.save(settings)
        event = emit(unit, caller, "proposals.moderation_settings_changed", f"settings:{settings.id}", {
            "auto_hide_reports": settings.auto_hide_reports, "target_hours": settings.target_hours,
            "require_justification": settings.require_justification,
            "summary_hours": settings.summary_hours})
        audit(unit, event, "change_settings", f"settings:{settings.id}", reason=str(data))
        return settings

    return _settings_out(atomically(work))


def block(caller: Caller, user_id: str, data: dict) -> dict:
    """Block a user from submitting, editing and reporting in this municipality."""
    _staff(caller)
    if user_id == caller.id:
        raise Conflict("You cannot block yourself.", code="conflict")
    entry = Block(id=f"{caller.municipality}:{user_id}", municipality=caller.municipality, user_id=user_id,
                  reason=data["reason"], by=caller.id)

    def work(unit: Unit) -> Block:
        if unit.get(Block, {"_id": entry.id}) is not None:
            raise Conflict("This user is already blocked.", code="duplicate")
        unit.insert(entry)
        event = emit(unit, caller, "proposals.user_blocked", user_id, {"user_id": user_id, "reason": data["reason"]})
        audit(unit, event, "block", user_id, reason=data["reason"])
        return entry

    atomically(work)
    return {"user_id": user_id, "blocked": True, "reason": entry.reason, "at": entry.at}


def unblock(caller: Caller, user_id: str) -> dict:
    _staff(caller)

    def work(unit: Unit) -> None:
        if unit.coll(Block).delete_one({"_id": f"{caller.municipality}:{user_id}"},
                                       session=unit.session).deleted_count == 0:
            raise NotFound("This user is not blocked here.")
        event = emit(unit, caller, "proposals.user_unblocked", user_id, {"user_id": user_id})
        audit(unit, event, "unblock", user_id)

    atomically(work)
    return {"user_id": user_id, "blocked": False, "reason": None, "at": None}


def blocked(caller: Caller) -> list[dict]:
    _staff(caller)
    return [{"user_id": b.user_id, "blocked": True, "reason": b.reason, "at": b.at}
            for b in Block.objects(municipality=caller.municipality).order_by("-at")]


def _audit_query(caller: Caller, args: dict):
    _staff(caller)
    query = AuditEntry.objects(municipality=caller.municipality)
    for name in ("subject", "action", "actor_id"):
        if args.get(name):
            query = query(**{name: args[name]})
    if args.get("since"):
        query = query(at__gte=args["since"])
    if args.get("until"):
        query = query(at__lt=args["until"])
    return query.order_by("-at", "id")


def audit_log(caller: Caller, args: dict) -> dict:
    query = _audit_query(caller, args)
    page, per_page = args["page"], args["per_page"]
    return {"items": list(query.skip((page - 1) * per_page).limit(per_page)), "page": page,
            "per_page": per_page, "total": query.count()}


def audit_csv(caller: Caller, args: dict) -> str:
    """The whole (filtered) audit log as CSV, oldest first, one row per decision."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for entry in _audit_query(caller, args).order_by("at", "id"):
        row = [getattr(entry, c) for c in AUDIT_COLUMNS]
        row[0] = entry.at.isoformat()
        writer.writerow(["" if v is None else _safe(str(v)) for v in row])
    return out.getvalue()


def _safe(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def send_pending_summaries() -> bool:
    """Job: for each municipality with a queue, emit `pending_summary` once per summary_hours.

    The settings document is written in the same transaction, so two workers never both send."""
    now = utcnow()
    for municipality in Proposal.objects(status=domain.PENDING).distinct("municipality"):
        settings = settings_of(municipality)
        last = settings.summary_sent_at
        if settings.summary_hours <= 0 or (last and now - last < timedelta(hours=settings.summary_hours)):
            continue
        late = now - timedelta(hours=settings.target_hours)
        mine = Proposal.objects(municipality=municipality)
        payload = {"pending": mine(status=domain.PENDING).count(),
                   "overdue": mine(status=domain.PENDING, submitted_at__lt=late).count(),
                   "reported": mine(status=domain.HIDDEN, reports__gt=0).count()}

        def work(unit: Unit, settings=settings, last=last, payload=payload) -> None:
            claimed = unit.coll(ModerationSettings).update_one(
                {"_id": settings.id, "summary_sent_at": last}, {"$set": {"summary_sent_at": now}},
                upsert=last is None, session=unit.session)
            if claimed.matched_count or claimed.upserted_id is not None:
                emit(unit, None, "proposals.pending_summary", f"summary:{settings.id}", payload,
                     municipality=settings.id)

        try:
            atomically(work)
        except DuplicateKeyError:  # another worker created the settings first and sent it
            continue
    return False
