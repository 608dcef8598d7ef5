"""Open data of the proposals service: every published proposal, without its author.

`GET /api/open-data/proposals.json|.csv` (streamed, see `services.opendata`) and the catalogue entry
(`GET /api/open-data`). Rows carry what the public pages show of a proposal, never who wrote it:
no author id, no organisation, no moderator notes or reports."""
from __future__ import annotations

from flask_smorest import Blueprint

from proposals import domain
from proposals.schemas.opendata import ProposalRow, ProposalsExport
from proposals.store import Proposal
from services import opendata
from services.errors import NotFound

blp = Blueprint("proposals_opendata", __name__, url_prefix="/api")
COLUMNS = ("id", "municipality", "process_id", "phase", "title", "summary", "body", "language", "theme",
           "status", "competence", "default_competence", "author_kind", "supports", "comments", "version", "submitted_at", "decided_at")


def _published(municipality: str | None):
    return Proposal.objects(status=domain.PUBLISHED, **opendata.scoped(municipality))


def rows(municipality: str | None):
    for p in _published(municipality).only(*COLUMNS).order_by("municipality", "submitted_at", "id").batch_size(500):
        yield {"proposal_id": p.id, "municipality": p.municipality, "process_id": p.process_id, "phase": p.phase,
               "title": p.title, "summary": p.summary, "body": p.body or "", "language": p.language,
               "theme": p.theme, "competence": p.competence or p.default_competence,
               "author_kind": "workshop" if p.author_kind == "workshop" else "resident",
               "supports": p.supports, "comments": p.comments, "version": p.version,
               "submitted_at": p.submitted_at, "published_at": p.decided_at}


@blp.get("/open-data/proposals.<fmt>")
@blp.arguments(opendata.OpenDataArgs, location="query")
@blp.response(200, ProposalsExport)
def export(args, fmt):
    if fmt not in ("json", "csv"):
        raise NotFound("The open data comes as .json or .csv.")
    return opendata.export("proposals", fmt, ProposalRow, lambda: rows(args["municipality"]), args["municipality"])


@blp.get("/open-data")
@blp.arguments(opendata.OpenDataArgs, location="query")
@blp.response(200, opendata.CatalogueOut)
def catalogue(args):
    found = _published(args["municipality"])
    last = found.order_by("-decided_at").only("decided_at").first()
    return {"datasets": [{"name": "proposals", "rows": found.count(), "last_change": last and last.decided_at}]}
