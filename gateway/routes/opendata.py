"""Open-data operations: each dataset relayed to the service that owns it, national and public.

Every dataset comes as JSON (its schema documented here) and CSV (the same columns, plus the
licence), streamed through the gateway with its ETag (304 on If-None-Match); the catalogue rows
give the open-data page each dataset's row count and last change."""
from __future__ import annotations

from forwarding import schemas as fo
from gateway.access import EVERYONE_NATIONAL
from gateway.routes.op import rows
from proposals import schemas as po
from services.opendata import CatalogueOut, OpenDataArgs
from voting import schemas as vo

LICENCE_NOTE = " Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Optional ?municipality=."
STREAM = {"query": OpenDataArgs, "stream": True, "timeout": 120.0}


def dataset(name: str, summary: str, export) -> list[tuple]:
    """The JSON and CSV rows of one dataset."""
    return [(f"open_data_{name}_json", f"GET /open-data/{name}.json", f"/api/open-data/{name}.json",
             EVERYONE_NATIONAL, summary + LICENCE_NOTE, {**STREAM, "out": export}),
            (f"open_data_{name}_csv", f"GET /open-data/{name}.csv", f"/api/open-data/{name}.csv",
             EVERYONE_NATIONAL, summary + " (CSV: the JSON rows' columns, then licence)." + LICENCE_NOTE,
             {**STREAM, "produces": "text/csv"})]


def catalogue(service: str) -> tuple:
    return (f"open_data_catalogue_{service}", f"GET /open-data/catalogue/{service}", "/api/open-data",
            EVERYONE_NATIONAL, f"The open datasets of {service}: rows and last change.",
            {"query": OpenDataArgs, "out": CatalogueOut})


OPEN_DATA = (
    rows("proposals", "open-data", [
        *dataset("proposals", "Every published proposal, without its author.", po.ProposalsExport),
        catalogue("proposals")])
    + rows("voting", "open-data", [
        *dataset("results", "The results of every closed vote: tally, turnout, outcome (never a ballot).",
                 vo.ResultsExport),
        catalogue("voting")])
    + rows("forwarding", "open-data", [
        *dataset("dossiers", "Dossiers as sent to institutions: their public part.", fo.OPEN_DATA_EXPORTS["dossiers"]),
        *dataset("replies", "The institutions' replies.", fo.OPEN_DATA_EXPORTS["replies"]),
        *dataset("tracker", "Every forwarded conclusion per institution, where it stands.", fo.OPEN_DATA_EXPORTS["tracker"]),
        catalogue("forwarding")])
)
