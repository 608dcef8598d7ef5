"""Schemas of the notifications API."""
from marshmallow import Schema, fields, validate


class InboxArgs(Schema):
    lang = fields.Str(load_default="sl")
    page = fields.Int(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))


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
    page = fields.Int()
    per_page = fields.Int()
    total = fields.Int()
    unread = fields.Int()


class ReadOut(Schema):
    id = fields.Str()
    read = fields.Bool()


class FollowIn(Schema):
    reason = fields.Str(load_default="followed", validate=validate.OneOf(("supported", "voted", "followed")))


class FollowOut(Schema):
    proposal_id = fields.Str()
    following = fields.Bool()
