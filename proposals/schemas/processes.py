"""Schemas of participatory processes and themes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from proposals.domain import COMPETENCES, PHASES
from proposals.schemas.common import CODE, Texts


class PhaseIn(Schema):
    code = fields.Str(required=True, validate=validate.OneOf(PHASES))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class ProcessIn(Schema):
    id = fields.Str(required=True, validate=CODE)
    title = Texts(required=True, validate=validate.Length(min=1, max=10))
    description = Texts(load_default=dict)
    phases = fields.List(fields.Nested(PhaseIn), load_default=list, validate=validate.Length(max=12))
    themes = fields.List(fields.Str(validate=validate.Length(min=1, max=64)), required=True,
                         validate=validate.Length(min=1, max=30))


class ProcessEditIn(Schema):
    title = Texts(validate=validate.Length(min=1, max=10))
    description = Texts()
    phases = fields.List(fields.Nested(PhaseIn), validate=validate.Length(max=12))
    themes = fields.List(fields.Str(validate=validate.Length(min=1, max=64)), validate=validate.Length(min=1, max=30))


class ProcessOut(Schema):
    id = fields.Str()
    municipality = fields.Str()
    title = fields.Dict()
    description = fields.Dict()
    phases = fields.List(fields.Dict())
    current_phase = fields.Str(allow_none=True)
    themes = fields.Dict()


class ThemeIn(Schema):
    code = fields.Str(required=True, validate=CODE)
    labels = Texts(required=True, validate=validate.Length(min=1, max=10))
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))


class ThemeOut(Schema):
    code = fields.Str()
    labels = fields.Dict()
    competence = fields.Str()
    national = fields.Bool()
