"""Response schemas of the forwarding API."""
from marshmallow import Schema, fields


class DossierOut(Schema):
    id = fields.Str()
    proposal_id = fields.Str()
    institution_id = fields.Str()
    status = fields.Str()
    attempts = fields.Int()
    digest = fields.Str()
    receipt = fields.Str(allow_none=True)
    last_error = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)
    document = fields.Dict()


class ForwardingOut(Schema):
    proposal_id = fields.Str()
    dossiers = fields.List(fields.Nested(DossierOut))


class InstitutionOut(Schema):
    id = fields.Str()
    name = fields.Dict()
    themes = fields.List(fields.Str())
    deadline_days = fields.Int()
