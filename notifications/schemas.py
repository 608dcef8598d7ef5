"""Schemas of the notifications API."""
from marshmallow import Schema, fields, validate

from services.fields import Integer


class InboxArgs(Schema):
    lang = fields.Str(load_default="sl", validate=validate.Length(min=1, max=35))  # a BCP 47 tag's length
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))
    unread = fields.Bool(load_default=False, metadata={"description": "Only the items not read yet"})


class InboxItemOut(Schema):
    id = fields.Str()
    kind = fields.Str()
    proposal_id = fields.Str(allow_none=True)
    subject = fields.Str()
    body = fields.Str()
    created_at = fields.DateTime()
    read = fields.Bool()


class InboxOut(Schema):
    items = fields.List(fields.Nested(InboxItemOut))
    page = Integer()
    per_page = Integer()
    total = Integer()
    unread = Integer()


class ReadOut(Schema):
    id = fields.Str()
    read = fields.Bool()


class FollowIn(Schema):
    reason = fields.Str(load_default="followed", validate=validate.OneOf(("supported", "voted", "followed")))


class FollowOut(Schema):
    proposal_id = fields.Str()
    following = fields.Bool()
