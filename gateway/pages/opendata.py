"""The open-data page at /open-data: every dataset the platform publishes under CC BY 4.0, with its
description, fields, formats, row count and last change, for all municipalities or one."""
from __future__ import annotations

from flask import request, url_for
from marshmallow import fields as f

from gateway.municipalities import all_municipalities
from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import try_fetch
from gateway.pages.render import render
from gateway.routes import BY_NAME
from services.opendata import ATTRIBUTION, LICENCE_URL

# (dataset, the catalogue that counts it, what it is)
DATASETS = [
    ("proposals", "open_data_catalogue_proposals",
     N_("Every published proposal: title, summary, text, theme, competence, supports and comments. "
        "Who wrote it is left out.")),
    ("results", "open_data_catalogue_voting",
     N_("The result of every closed vote: yes, no and abstain, ballots, electorate, turnout and outcome. "
        "No ballot and nothing about who voted.")),
    ("dossiers", "open_data_catalogue_forwarding",
     N_("The dossiers sent to national institutions, their public part: the conclusion, the vote, the "
        "competence and its justification, and the digest of the signed document.")),
    ("replies", "open_data_catalogue_forwarding",
     N_("The institutions' replies to the dossiers: status, text and when they came.")),
    ("tracker", "open_data_catalogue_forwarding",
     N_("Where every forwarded conclusion stands with each institution: sent, acknowledged, due, "
        "replied, overdue.")),
]
TYPES = [(f.DateTime, N_("date and time (ISO 8601)")), (f.Bool, N_("true or false")), (f.Int, N_("whole number")),
         (f.Float, N_("number")), (f.Str, N_("text"))]


def _columns(name: str) -> list[tuple[str, str, bool]]:
    """(column, type label, may be empty) of a dataset, from its documented schema."""
    rows = BY_NAME[f"open_data_{name}_json"].out().fields["rows"].inner.schema.fields
    return [(column, next(text for kind, text in TYPES if isinstance(field, kind)), field.allow_none)
            for column, field in rows.items()]


@bp.get("/open-data")
def open_data():
    municipalities = all_municipalities()
    chosen = request.args.get("municipality") or None
    if chosen not in municipalities:
        chosen = None
    params = {"municipality": chosen} if chosen else {}
    counts: dict[str, dict] = {}
    for catalogue in dict.fromkeys(op for _, op, _ in DATASETS):
        answer = try_fetch(catalogue, params=params)
        if answer is not None and answer.status_code == 200:
            counts.update({d["name"]: d for d in answer.json()["datasets"]})
    datasets = [{"name": name, "description": description, "info": counts.get(name), "columns": _columns(name),
                 "links": {fmt: url_for(f"api.open_data_{name}_{fmt}", **params) for fmt in ("json", "csv")}}
                for name, _, description in DATASETS]
    return render("opendata.html", datasets=datasets, chosen=chosen,
                  chosen_name=municipalities[chosen].name if chosen else None, licence_url=LICENCE_URL,
                  attribution=ATTRIBUTION, choices=sorted(municipalities.values(), key=lambda m: m.name))
