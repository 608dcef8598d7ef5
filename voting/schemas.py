"""Request and response schemas of the voting API (the gateway reuses them)."""
from marshmallow import Schema, fields, validate


class BallotIn(Schema):
    choice = fields.Str(required=True, validate=validate.OneOf(("yes", "no", "abstain")))


class BallotOut(Schema):
    proposal_id = fields.Str()
    choice = fields.Str()
    changed = fields.Bool()


class TallyOut(Schema):
    yes = fields.Int()
    no = fields.Int()
    abstain = fields.Int()


class VoteOut(Schema):
    id = fields.Str(data_key="proposal_id")
    status = fields.Str()
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    outcome = fields.Str(allow_none=True)


class ResultsOut(Schema):
    proposal_id = fields.Str()
    status = fields.Str()
    competence = fields.Str()
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    ballots = fields.Int()
    tally = fields.Nested(TallyOut, allow_none=True)
    live_tally = fields.Nested(TallyOut, allow_none=True)
    outcome = fields.Str(allow_none=True)
