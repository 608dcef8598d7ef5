"""The open-data export of proposals: one row per published proposal (see proposals.opendata)."""
from marshmallow import Schema, fields

from services import opendata
from services.fields import Integer


class ProposalRow(Schema):
    proposal_id = fields.Str(required=True)
    municipality = fields.Str(required=True)
    process_id = fields.Str(required=True)
    phase = fields.Str(allow_none=True, required=True)
    title = fields.Str(required=True)
    summary = fields.Str(required=True)
    body = fields.Str(required=True)
    language = fields.Str(required=True)
    theme = fields.Str(required=True)
    competence = fields.Str(allow_none=True, required=True,
                            metadata={"description": "municipal, national or shared (as staff decided it)"})
    author_kind = fields.Str(required=True, metadata={"description": "resident or workshop; never who"})
    supports = Integer(required=True)
    comments = Integer(required=True)
    version = Integer(required=True)
    submitted_at = fields.DateTime(required=True)
    published_at = fields.DateTime(allow_none=True, required=True)


ProposalsExport = opendata.envelope("proposals", ProposalRow)
