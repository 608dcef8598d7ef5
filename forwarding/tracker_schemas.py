"""Schemas of the public tracker and of cross-municipality groups (re-exported by forwarding.schemas,
the service's published contract)."""
from marshmallow import Schema, fields, validate

from forwarding.domain import PHASES
from services.fields import Integer


class TrackerArgs(Schema):
    municipality = fields.Str(load_default=None, validate=validate.Length(max=64),
                              metadata={"description": "One municipality; omitted: all of them"})
    institution_id = fields.Str(load_default=None, validate=validate.Length(max=64))
    theme = fields.Str(load_default=None, validate=validate.Length(max=64))
    status = fields.Str(load_default=None, validate=validate.OneOf(PHASES), metadata={
        "description": "awaiting_acknowledgement (sent), awaiting_reply (acknowledged), overdue (a reply past "
                       "its due date) or replied: conclusions with such a dossier, and only those dossiers"})
    group_id = fields.Str(load_default=None, validate=validate.Length(max=64),
                          metadata={"description": "The conclusions of one cross-municipality group"})
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=None, validate=validate.Range(min=1, max=100),
                       metadata={"description": "Conclusions per page; omitted: every matching one"})


class GroupMember(Schema):
    proposal_id = fields.Str()
    municipality = fields.Str()
    title = fields.Str()
    theme = fields.Str()
    ballots = Integer(allow_none=True)
    reached_at = fields.DateTime()


class GroupOut(Schema):
    group_id = fields.Str(metadata={"description": "The proposal id of the group's first conclusion"})
    municipalities = fields.List(fields.Str())
    municipality_count = Integer()
    conclusions = Integer()
    ballots = Integer(metadata={"description": "Ballots cast on all the group's conclusions together"})
    members = fields.List(fields.Nested(GroupMember))


class TrackerDossier(Schema):
    dossier_id = fields.Str()
    institution_id = fields.Str()
    institution_name = fields.Dict()
    status = fields.Str()
    dispatched_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)
    reply_status = fields.Str(allow_none=True)
    overdue = fields.Bool()
    phase = fields.Str(metadata={"description": "preparing, awaiting_acknowledgement, awaiting_reply or replied"})
    in_time = fields.Bool(allow_none=True, metadata={"description": "Answered by the due date; null while open"})
    timeline = fields.List(fields.Dict())


class TrackerConclusion(Schema):
    proposal_id = fields.Str()
    municipality = fields.Str()
    ballots = Integer(allow_none=True)
    group = fields.Nested(GroupOut, allow_none=True, metadata={
        "description": "Similar conclusions of other municipalities on the same theme; null: none"})
    title = fields.Str()
    theme = fields.Str()
    competence = fields.Str()
    reached_at = fields.DateTime()
    municipal_action = fields.Bool()
    dossiers = fields.List(fields.Nested(TrackerDossier))


class TrackerInstitution(Schema):
    institution_id = fields.Str()
    name = fields.Dict()
    forwarded = Integer()
    replied = Integer()
    overdue = Integer()
    awaiting = Integer()
    in_time = Integer(metadata={"description": "Dossiers answered by their due date"})
    decided = Integer(metadata={"description": "Dossiers answered, or past their due date unanswered"})
    in_time_share = fields.Float(allow_none=True, metadata={"description": "in_time / decided; null: none decided"})
    median_days_to_reply = fields.Float(allow_none=True)
    average_days_to_reply = fields.Float(allow_none=True)


class TrackerOut(Schema):
    municipality = fields.Str(allow_none=True)
    generated_at = fields.DateTime()
    conclusions = fields.List(fields.Nested(TrackerConclusion))
    institutions = fields.List(fields.Nested(TrackerInstitution))
    total = Integer()
    page = Integer()
    per_page = Integer()
    counts = fields.Dict(keys=fields.Str(), values=Integer(), metadata={
        "description": "Dossiers in each public phase (and overdue), within the other filters"})
    themes = fields.List(fields.Str())
    municipalities = fields.List(fields.Str())
