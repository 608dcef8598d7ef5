"""Schemas of the staff's list of votes (`voting.desk`): its filters and its page."""
from datetime import timezone

from marshmallow import Schema, fields, validate

from services.fields import Integer

STATES = ("ready", "scheduled", "open", "closed")
TALLY_CHECKS = ("matched", "mismatch", "pending")


class VoteListArgs(Schema):
    state = fields.Str(load_default="open", validate=validate.OneOf(STATES), metadata={
        "description": "ready: published, no window yet; scheduled: published with an opening time; "
                       "open; closed (the most recently closed first)"})
    process_id = fields.Str(validate=validate.Length(min=1, max=64))
    competence = fields.Str(validate=validate.OneOf(("municipal", "national", "shared")))
    tally_check = fields.Str(validate=validate.OneOf(TALLY_CHECKS),
                             metadata={"description": "Closed votes by the recount check's verdict"})
    before = fields.AwareDateTime(default_timezone=timezone.utc, metadata={
        "description": "Scheduled votes opening, or open votes closing, at or before this moment"})
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class VoteSummaryOut(Schema):
    """A vote as the staff's list shows it: its window and counts, never who voted."""

    proposal_id = fields.Str()
    title = fields.Str()
    process_id = fields.Str()
    theme = fields.Str()
    competence = fields.Str()
    status = fields.Str()
    state = fields.Str()
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    ballots = Integer(allow_none=True, metadata={"description": "Ballots so far (open) or counted (closed)"})
    electorate = Integer(allow_none=True)
    supports = Integer()
    outcome = fields.Str(allow_none=True)
    tally_check = fields.Str(allow_none=True)


class AttentionOut(Schema):
    opening_soon = Integer(metadata={"description": "Scheduled votes opening within 24 hours"})
    closing_soon = Integer(metadata={"description": "Open votes closing within 24 hours"})
    tally_mismatch = Integer(metadata={"description": "Closed votes whose recount did not match the running count"})


class VotePage(Schema):
    items = fields.List(fields.Nested(VoteSummaryOut))
    page = Integer()
    per_page = Integer()
    total = Integer()
    counts = fields.Dict(keys=fields.Str(), values=Integer(), metadata={"description": "Votes per state"})
    attention = fields.Nested(AttentionOut)
