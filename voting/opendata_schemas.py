"""The open-data export of vote results: one row per closed vote (see voting.opendata)."""
from marshmallow import Schema, fields

from services import opendata
from services.fields import Integer


class ResultRow(Schema):
    proposal_id = fields.Str(required=True)
    municipality = fields.Str(required=True)
    process_id = fields.Str(required=True)
    title = fields.Str(required=True)
    theme = fields.Str(required=True)
    competence = fields.Str(required=True)
    opened_at = fields.DateTime(allow_none=True, required=True)
    closed_at = fields.DateTime(allow_none=True, required=True)
    yes = Integer(required=True)
    no = Integer(required=True)
    abstain = Integer(required=True)
    ballots = Integer(required=True, metadata={"description": "Ballots cast, abstentions included."})
    electorate = Integer(allow_none=True, required=True,
                            metadata={"description": "Eligible residents counted as the electorate."})
    turnout = fields.Float(allow_none=True, required=True, metadata={"description": "ballots / electorate"})
    majority = fields.Str(allow_none=True, required=True)
    quorum_met = fields.Bool(allow_none=True, required=True)
    tie = fields.Bool(allow_none=True, required=True)
    outcome = fields.Str(allow_none=True, required=True, metadata={"description": "adopted, rejected or no_quorum"})


ResultsExport = opendata.envelope("results", ResultRow)
