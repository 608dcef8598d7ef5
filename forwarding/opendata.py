"""Open data of the forwarding service: dossiers as sent (their public part), the institutions'
replies, and the tracker (one row per forwarded conclusion and institution).

`GET /api/open-data/<dossiers|replies|tracker>.json|.csv` (streamed, see `services.opendata`) and the
catalogue (`GET /api/open-data`). No row names a person: a dossier's staff note, its arguments
(residents' words) and workshop facilitators stay out, and so do who acknowledged or replied
(accounts), receipts and timeline actors."""
from __future__ import annotations

from flask_smorest import Blueprint

from forwarding import clock, domain
from forwarding.opendata_schemas import EXPORTS, ROW_SCHEMAS
from forwarding.store import Conclusion, Dossier, Institution
from services import opendata
from services.errors import NotFound

blp = Blueprint("forwarding_opendata", __name__, url_prefix="/api")


def _names() -> dict:
    return {i.id: i.name or {} for i in Institution.objects.only("id", "name")}


def _institution(names: dict, code: str) -> dict:
    name = names.get(code, {})
    return {"institution_id": code, "institution_name_sl": name.get("sl"), "institution_name_en": name.get("en")}


def _query(name: str, municipality: str | None):
    scope = {**opendata.scoped(municipality), "status__ne": domain.CANCELLED}
    if name == "dossiers":
        return Dossier.objects(dispatched_at__ne=None, document__ne=None, **scope).order_by("municipality", "dispatched_at", "id")
    if name == "replies":
        return Dossier.objects(replied_at__ne=None, reply__ne=None, **scope).order_by("municipality", "replied_at", "id")
    return Dossier.objects(**scope).order_by("municipality", "created_at", "id")


def _dossier_row(d: Dossier, names: dict) -> dict:
    doc = d.document
    vote, proposal, deliberation = doc.get("vote") or {}, doc["proposal"], doc.get("deliberation") or {}
    tally = doc.get("tally") or {}
    return {"dossier_id": d.id, "proposal_id": d.proposal_id, "municipality": d.municipality,
            "process_id": (doc.get("process") or {}).get("id"), **_institution(names, d.institution_id),
            "schema": doc["schema"], "prepared_at": doc["prepared_at"], "dispatched_at": d.dispatched_at,
            "title": proposal["title"], "theme": proposal["theme"], "summary": proposal.get("summary"),
            "language": proposal.get("language"), "competence": doc["competence"],
            "competence_justification": doc.get("competence_justification"), "outcome": doc["outcome"],
            **{c: int(tally.get(c, 0)) for c in ("yes", "no", "abstain")}, "ballots": int(doc.get("ballots") or 0),
            "electorate": vote.get("electorate"), "turnout": vote.get("turnout"),
            "comments": deliberation.get("comments"), "workshops": len(deliberation.get("workshops") or []),
            "digest": d.digest, "key_id": d.key_id}


def _reply_row(d: Dossier, names: dict) -> dict:
    answer = d.reply
    return {"dossier_id": d.id, "proposal_id": d.proposal_id, "municipality": d.municipality,
            **_institution(names, d.institution_id), "status": answer["status"], "text": answer["text"],
            "summary": answer.get("summary"), "forwarded_to": answer.get("forwarded_to"), "via": answer["via"],
            "attachments": len(answer.get("attachments") or []), "replied_at": d.replied_at}


def _tracker_row(d: Dossier, names: dict, now) -> dict:
    conclusion = Conclusion.objects(id=d.proposal_id).only("data", "reached_at").first()
    data = conclusion.data if conclusion else {}
    return {"dossier_id": d.id, "proposal_id": d.proposal_id, "municipality": d.municipality,
            "title": data.get("title"), "theme": data.get("theme"), **_institution(names, d.institution_id),
            "status": d.status, "reached_at": conclusion.reached_at if conclusion else None,
            "dispatched_at": d.dispatched_at, "acknowledged_at": d.acknowledged_at, "due_at": d.due_at,
            "replied_at": d.replied_at, "reply_status": (d.reply or {}).get("status"),
            "overdue": bool(d.due_at and d.status in domain.AWAITING_REPLY and now > d.due_at)}


def rows(name: str, municipality: str | None):
    names, now = _names(), clock.now()
    for d in _query(name, municipality).batch_size(200):
        if name == "dossiers":
            yield _dossier_row(d, names)
        elif name == "replies":
            yield _reply_row(d, names)
        else:
            yield _tracker_row(d, names, now)


def _view(name: str):
    def view(args, fmt):
        if fmt not in ("json", "csv"):
            raise NotFound("The open data comes as .json or .csv.")
        return opendata.export(name, fmt, ROW_SCHEMAS[name], lambda: rows(name, args["municipality"]),
                               args["municipality"])
    view.__name__ = f"export_{name}"
    view = blp.response(200, EXPORTS[name])(view)
    view = blp.arguments(opendata.OpenDataArgs, location="query")(view)
    return blp.route(f"/open-data/{name}.<fmt>", methods=["GET"], endpoint=f"export_{name}")(view)


VIEWS = [_view(name) for name in ROW_SCHEMAS]
LAST_CHANGE = {"dossiers": ("dispatched_at",), "replies": ("replied_at",),
               "tracker": ("created_at", "dispatched_at", "acknowledged_at", "replied_at")}


@blp.get("/open-data")
@blp.arguments(opendata.OpenDataArgs, location="query")
@blp.response(200, opendata.CatalogueOut)
def catalogue(args):
    datasets = []
    for name, changes in LAST_CHANGE.items():
        found = _query(name, args["municipality"])
        lasts = [getattr(found.order_by(f"-{field}").only(field).first(), field, None) for field in changes]
        datasets.append({"name": name, "rows": found.count(), "last_change": max(filter(None, lasts), default=None)})
    return {"datasets": datasets}
