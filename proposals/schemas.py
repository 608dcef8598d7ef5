"""Request and response schemas of the proposals API (the gateway reuses them)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from proposals.domain import COMPETENCES

LANGUAGES = ("sl", "en", "sq", "bs", "hr", "sr", "uk", "ru", "ar", "fa")


class ProposalIn(Schema):
    process_id = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    title = fields.Str(required=True, validate=validate.Length(min=5, max=200))
    summary = fields.Str(required=True, validate=validate.Length(min=10, max=1000))
    body = fields.Str(load_default="", validate=validate.Length(max=20000))
    theme = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    language = fields.Str(load_default="sl", validate=validate.OneOf(LANGUAGES))


class ModerationIn(Schema):
    decision = fields.Str(required=True, validate=validate.OneOf(("approve", "reject")))
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    competence = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(COMPETENCES))


class ProposalOut(Schema):
    id = fields.Str()
    municipality = fields.Str()
    process_id = fields.Str()
    title = fields.Str()
    summary = fields.Str()
    body = fields.Str()
    theme = fields.Str()
    language = fields.Str()
    author_id = fields.Str()
    status = fields.Str()
    competence = fields.Str(allow_none=True)
    rejection_reason = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class ListArgs(Schema):
    status = fields.Str(validate=validate.OneOf(("pending", "published", "rejected")))
    theme = fields.Str()
    page = fields.Int(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))


class ProposalPage(Schema):
    items = fields.List(fields.Nested(ProposalOut))
    page = fields.Int()
    per_page = fields.Int()
    total = fields.Int()


class ProcessOut(Schema):
    id = fields.Str()
    municipality = fields.Str()
    title = fields.Dict()
    themes = fields.Dict()
