"""Schemas of the institution portal's additions (issue 13): the body size a reply's attachments need,
and an institution's list of the dossiers addressed to it across municipalities."""
from marshmallow import Schema, fields, validate

from forwarding.domain import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from services.fields import Integer

ATTACHMENT_BASE64 = -(-MAX_ATTACHMENT_BYTES // 3) * 4
# A reply's body: its attachments in base64, the texts and the JSON around them.
REPLY_BODY_BYTES = MAX_ATTACHMENTS * ATTACHMENT_BASE64 + 256 * 1024
PORTAL_FILTERS = ("sent", "acknowledged", "replied", "overdue")


class PortalListArgs(Schema):
    status = fields.Str(load_default=None, validate=validate.OneOf(PORTAL_FILTERS), metadata={
        "description": "sent (not yet acknowledged), acknowledged, replied, or overdue (reply past its due date)"})
    municipality = fields.Str(load_default=None, validate=validate.Length(max=64))
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PortalListItem(Schema):
    id = fields.Str()
    proposal_id = fields.Str()
    municipality = fields.Str()
    institution_id = fields.Str()
    title = fields.Str(allow_none=True)
    theme = fields.Str(allow_none=True)
    status = fields.Str()
    dispatched_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)
    reply_status = fields.Str(allow_none=True)
    overdue = fields.Bool(metadata={"description": "Waiting for a reply past its due date (the deadline clock)"})


class PortalListOut(Schema):
    items = fields.List(fields.Nested(PortalListItem))
    page = Integer()
    per_page = Integer()
    total = Integer()
    counts = fields.Dict(keys=fields.Str(), values=Integer(), metadata={
        "description": "sent, acknowledged, replied, overdue -> how many, within the municipality filter"})
    municipalities = fields.List(fields.Str(), metadata={
        "description": "The municipalities the institution has dossiers from"})
