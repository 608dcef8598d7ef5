"""The public tracker: every forwarded conclusion of a municipality, its timeline, and response times."""
from __future__ import annotations

from forwarding import clock, domain
from forwarding.store import Conclusion, Dossier, Institution, MunicipalAction


def tracker(municipality: str) -> dict:
    names = {i.id: i for i in Institution.objects}
    now = clock.now()
    dossiers: dict[str, list[Dossier]] = {}
    for dossier in Dossier.objects(municipality=municipality).order_by("institution_id"):
        dossiers.setdefault(dossier.proposal_id, []).append(dossier)
    conclusions = []
    for conclusion in Conclusion.objects(municipality=municipality).order_by("-reached_at"):
        conclusions.append({
            "proposal_id": conclusion.id, "title": conclusion.data["title"], "theme": conclusion.data["theme"],
            "competence": conclusion.data["competence"], "reached_at": conclusion.reached_at,
            "municipal_action": bool(MunicipalAction.objects(id=conclusion.id).first()),
            "dossiers": [{
                "dossier_id": d.id, "institution_id": d.institution_id, "status": d.status,
                "institution_name": names[d.institution_id].name if d.institution_id in names else {},
                "dispatched_at": d.dispatched_at, "acknowledged_at": d.acknowledged_at, "due_at": d.due_at,
                "replied_at": d.replied_at, "reply_status": (d.reply or {}).get("status"),
                "overdue": bool(d.due_at and d.status in domain.AWAITING_REPLY and now > d.due_at),
                "timeline": list(d.timeline)} for d in dossiers.get(conclusion.id, [])
                if d.status != domain.CANCELLED]})
    stats: dict[str, dict] = {}
    for items in dossiers.values():
        for d in items:
            if d.status == domain.CANCELLED or d.dispatched_at is None:
                continue
            entry = stats.setdefault(d.institution_id, {"forwarded": 0, "replied": 0, "overdue": 0, "spans": []})
            entry["forwarded"] += 1
            if d.replied_at:
                entry["replied"] += 1
                entry["spans"].append((d.dispatched_at, d.replied_at))
            elif d.due_at and now > d.due_at:
                entry["overdue"] += 1
    institutions = [{"institution_id": code, "name": names[code].name if code in names else {},
                     "forwarded": s["forwarded"], "replied": s["replied"], "overdue": s["overdue"],
                     "average_days_to_reply": domain.average_days(s["spans"])}
                    for code, s in sorted(stats.items())]
    return {"municipality": municipality, "generated_at": now, "conclusions": conclusions,
            "institutions": institutions}
