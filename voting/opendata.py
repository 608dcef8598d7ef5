"""Open data of the voting service: the results of every closed vote, never a ballot.

`GET /api/open-data/results.json|.csv` (streamed, see `services.opendata`) and the catalogue entry
(`GET /api/open-data`). A row is the final tally, turnout and outcome of one vote; nothing about who
voted or how one person voted (no ballots, voter keys, receipts or the author's id)."""
from __future__ import annotations

from flask_smorest import Blueprint

from services import opendata
from services.errors import NotFound
from voting import domain
from voting.opendata_schemas import ResultRow, ResultsExport
from voting.store import Vote

blp = Blueprint("voting_opendata", __name__, url_prefix="/api")
COLUMNS = ("id", "municipality", "process_id", "title", "theme", "competence", "opened_at", "closed_at",
           "final_tally", "electorate", "turnout", "quorum_met", "tie", "outcome", "rules")


def _closed(municipality: str | None):
    return Vote.objects(status=domain.CLOSED, **opendata.scoped(municipality))


def rows(municipality: str | None):
    for v in _closed(municipality).only(*COLUMNS).order_by("municipality", "closed_at", "id").batch_size(500):
        tally = {choice: int((v.final_tally or {}).get(choice, 0)) for choice in ("yes", "no", "abstain")}
        yield {"proposal_id": v.id, "municipality": v.municipality, "process_id": v.process_id, "title": v.title,
               "theme": v.theme, "competence": v.competence, "opened_at": v.opened_at, "closed_at": v.closed_at,
               **tally, "ballots": sum(tally.values()), "electorate": v.electorate, "turnout": v.turnout,
               "majority": (v.rules or {}).get("majority"), "quorum_met": v.quorum_met, "tie": v.tie,
               "outcome": v.outcome}


@blp.get("/open-data/results.<fmt>")
@blp.arguments(opendata.OpenDataArgs, location="query")
@blp.response(200, ResultsExport)
def export(args, fmt):
    if fmt not in ("json", "csv"):
        raise NotFound("The open data comes as .json or .csv.")
    return opendata.export("results", fmt, ResultRow, lambda: rows(args["municipality"]), args["municipality"])


@blp.get("/open-data")
@blp.arguments(opendata.OpenDataArgs, location="query")
@blp.response(200, opendata.CatalogueOut)
def catalogue(args):
    found = _closed(args["municipality"])
    last = found.order_by("-closed_at").only("closed_at").first()
    return {"datasets": [{"name": "results", "rows": found.count(), "last_change": last and last.closed_at}]}
