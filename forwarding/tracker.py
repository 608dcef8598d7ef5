"""The public tracker: every forwarded conclusion, of one municipality or of all, with each dossier's
timeline, due date, overdue flag and reply; filtered (theme, institution, public phase, group) and paged;
and per institution the share answered in time, the median and average days to reply."""
from __future__ import annotations

from forwarding import clock, domain, groups
from forwarding.store import Conclusion, Dossier, Institution, MunicipalAction

TRACKED = ("id", "proposal_id", "institution_id", "status", "dispatched_at", "acknowledged_at", "due_at",
           "replied_at", "reply", "timeline")


def _dossier(d: Dossier, names: dict, now) -> dict:
    return {"dossier_id": d.id, "institution_id": d.institution_id, "status": d.status,
            "institution_name": names[d.institution_id].name if d.institution_id in names else {},
            "dispatched_at": d.dispatched_at, "acknowledged_at": d.acknowledged_at, "due_at": d.due_at,
            "replied_at": d.replied_at, "reply_status": (d.reply or {}).get("status"),
            "overdue": bool(d.due_at and d.status in domain.AWAITING_REPLY and now > d.due_at),
            "phase": domain.phase(d.status), "in_time": domain.in_time(now, d.due_at, d.replied_at),
            "timeline": list(d.timeline)}


def _matches(entry: dict, institution: str | None, status: str | None) -> bool:
    if institution and entry["institution_id"] != institution:
        return False
    if status == domain.OVERDUE:
        return entry["overdue"]
    return not status or entry["phase"] == status


def _counts(entries: list[list[dict]]) -> dict[str, int]:
    """How many dossiers are in each public phase (overdue ones also in their own phase)."""
    counts = {name: 0 for name in (*domain.PHASES, domain.PREPARING)}
    for items in entries:
        for entry in items:
            counts[entry["phase"]] += 1
            counts[domain.OVERDUE] += entry["overdue"]
    return counts


def institution_figures(dossiers: list[Dossier], names: dict, now) -> list[dict]:
    """Per institution of the directory (those without dossiers too): dossiers sent, replied, overdue,
    awaiting; answered in time (of those whose verdict is known) and its share; median and average days."""
    stats = {code: {"forwarded": 0, "replied": 0, "overdue": 0, "spans": [], "verdicts": []} for code in names}
    for d in dossiers:
        if d.status == domain.CANCELLED or d.dispatched_at is None:
            continue
        entry = stats.setdefault(d.institution_id, {"forwarded": 0, "replied": 0, "overdue": 0, "spans": [],
                                                    "verdicts": []})
        entry["forwarded"] += 1
        entry["verdicts"].append(domain.in_time(now, d.due_at, d.replied_at))
        if d.replied_at:
            entry["replied"] += 1
            entry["spans"].append((d.dispatched_at, d.replied_at))
        elif d.due_at and now > d.due_at:
            entry["overdue"] += 1
    rows = []
    for code, s in sorted(stats.items()):
        kept, known, share = domain.in_time_share(s["verdicts"])
        rows.append({"institution_id": code, "name": names[code].name if code in names else {},
                     "forwarded": s["forwarded"], "replied": s["replied"], "overdue": s["overdue"],
                     "awaiting": s["forwarded"] - s["replied"], "in_time": kept, "decided": known,
                     "in_time_share": share, "median_days_to_reply": domain.median_days(s["spans"]),
                     "average_days_to_reply": domain.average_days(s["spans"])})
    return rows


def tracker(args: dict) -> dict:
    """The tracker as anyone may read it. Without `per_page`, every matching conclusion (one page)."""
    municipality, theme = args.get("municipality"), args.get("theme")
    institution, status, group = args.get("institution_id"), args.get("status"), args.get("group_id")
    names = {i.id: i for i in Institution.objects}
    now = clock.now()
    where = {"municipality": municipality} if municipality else {}
    # what the tracker shows of each dossier: not its document (kilobytes each, read for every dossier)
    found = list(Dossier.objects(__raw__=where).order_by("institution_id").only(*TRACKED))
    dossiers: dict[str, list[dict]] = {}
    for d in found:
        if d.status != domain.CANCELLED:
            dossiers.setdefault(d.proposal_id, []).append(_dossier(d, names, now))
    chosen = {**where, **({"data.theme": theme} if theme else {}), **({"group_id": group} if group else {})}
    listed = list(Conclusion.objects(__raw__=chosen).order_by("-reached_at", "-id")
                  .only("id", "municipality", "data", "reached_at", "group_id"))
    if institution:
        listed = [c for c in listed if any(e["institution_id"] == institution for e in dossiers.get(c.id, []))]
    counts = _counts([[e for e in dossiers.get(c.id, []) if _matches(e, institution, None)] for c in listed])
    if status:
        listed = [c for c in listed if any(_matches(e, institution, status) for e in dossiers.get(c.id, []))]
    page, per_page = args.get("page") or 1, args.get("per_page")
    shown = listed[(page - 1) * per_page:page * per_page] if per_page else listed
    actions = {a.id for a in MunicipalAction.objects(id__in=[c.id for c in shown]).only("id")}
    found_groups = groups.groups_of({c.group_id for c in shown})
    conclusions = [{
        "proposal_id": c.id, "municipality": c.municipality, "title": c.data["title"], "theme": c.data["theme"],
        "competence": c.data["competence"], "reached_at": c.reached_at, "ballots": c.data.get("ballots"),
        "municipal_action": c.id in actions, "group": found_groups.get(c.group_id),
        "dossiers": [e for e in dossiers.get(c.id, []) if _matches(e, institution, status)]} for c in shown]
    return {"municipality": municipality, "generated_at": now, "conclusions": conclusions,
            "institutions": institution_figures(found, names, now), "total": len(listed), "page": page,
            "per_page": per_page or max(len(listed), 1), "counts": counts,
            "themes": sorted(t for t in Conclusion.objects(__raw__=where).distinct("data.theme") if t),
            "municipalities": sorted(Conclusion.objects.distinct("municipality"))}
