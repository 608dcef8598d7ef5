"""Schemas of proposals: submit, edit, similar, workshop input, read, list."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from proposals.domain import AUTHOR_KINDS, COMPETENCES, PHASES, STATUSES
from proposals.schemas.common import LANGUAGES, SORTS, Title, Summary, Body, Tags, Translations
from services.fields import Integer


class ProposalIn(Schema):
    process_id = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    title = Title(required=True)
    summary = Summary(required=True)
    body = Body(load_default="")
    theme = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    language = fields.Str(load_default="sl", validate=validate.OneOf(LANGUAGES))
    translations = Translations(load_default=dict)
    tags = Tags(load_default=list)
    author_kind = fields.Str(load_default="resident", validate=validate.OneOf(("resident", "organisation")))
    organisation = fields.Str(load_default=None, allow_none=True, validate=validate.Length(min=2, max=200))

    @validates_schema
    def organisation_named(self, data, **kwargs):
        if data.get("author_kind") == "organisation" and not data.get("organisation"):
            raise ValidationError("Name the organisation.", "organisation")


class ProposalEditIn(Schema):
    title = Title()
    summary = Summary()
    body = Body()
    theme = fields.Str(validate=validate.Length(min=1, max=64))
    translations = Translations()
    tags = Tags()


class SimilarIn(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    summary = fields.Str(load_default="", validate=validate.Length(max=1000))
    body = Body(load_default="")
    process_id = fields.Str(load_default=None, validate=validate.Length(min=1, max=64))


class WorkshopIn(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(("focus_group", "world_cafe")))
    facilitator = fields.Str(required=True, validate=validate.Length(min=2, max=200))
    held_on = fields.Date(required=True)
    participants = Integer(required=True, validate=validate.Range(min=1, max=1000))
    languages = fields.List(fields.Str(validate=validate.OneOf(LANGUAGES)), required=True,
                            validate=validate.Length(min=1, max=10))
    notes = fields.Str(load_default="", validate=validate.Length(max=5000))


class WorkshopInputIn(ProposalIn):
    author_kind = fields.Constant("workshop")
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))
    justification = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    workshop = fields.Nested(WorkshopIn, required=True)


class SimilarOut(Schema):
    id = fields.Str()
    title = fields.Str()
    status = fields.Str()
    score = fields.Float()


class ProposalOut(Schema):
    id = fields.Str()
    municipality = fields.Str()
    process_id = fields.Str()
    phase = fields.Str(allow_none=True)
    title = fields.Str()
    summary = fields.Str()
    body = fields.Str()
    body_html = fields.Str()
    theme = fields.Str()
    default_competence = fields.Str(allow_none=True)
    language = fields.Str()
    translations = fields.Dict()
    tags = fields.List(fields.Str())
    author_id = fields.Str()
    author_kind = fields.Str()
    organisation = fields.Str(allow_none=True)
    workshop = fields.Dict(allow_none=True)
    status = fields.Str()
    version = Integer()
    competence = fields.Str(allow_none=True)
    competence_justification = fields.Str(allow_none=True)
    rejection_reason = fields.Str(allow_none=True)
    reason_code = fields.Str(allow_none=True)
    moderator_note = fields.Str(allow_none=True)
    hidden_reason = fields.Str(allow_none=True)
    duplicate_of = fields.Str(allow_none=True)
    duplicates = fields.List(fields.Str())
    reports = Integer()
    verified_reports = Integer(metadata={"description": "Reports by verified residents (these may hide it)"})
    supports = Integer()
    comments = Integer()
    overdue = fields.Bool()
    created_at = fields.DateTime()
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    similar = fields.List(fields.Nested(SimilarOut))


class VersionOut(Schema):
    version = Integer()
    title = fields.Str()
    summary = fields.Str()
    body = fields.Str()
    theme = fields.Str()
    tags = fields.List(fields.Str())
    translations = fields.Dict()
    editor_id = fields.Str()
    at = fields.DateTime()


class ListArgs(Schema):
    q = fields.Str(validate=validate.Length(min=1, max=200))
    status = fields.Str(validate=validate.OneOf(STATUSES))
    process_id = fields.Str(validate=validate.Length(min=1, max=64))
    phase = fields.Str(validate=validate.OneOf(PHASES))
    theme = fields.Str(validate=validate.Length(min=1, max=64))
    competence = fields.Str(validate=validate.OneOf(COMPETENCES))
    author_kind = fields.Str(validate=validate.OneOf(AUTHOR_KINDS))
    tag = fields.Str(validate=validate.Length(min=1, max=32))
    mine = fields.Bool(load_default=False)
    sort = fields.Str(load_default="newest", validate=validate.OneOf(SORTS))
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ProposalPage(Schema):
    items = fields.List(fields.Nested(ProposalOut))
    page = Integer()
    per_page = Integer()
    total = Integer()
