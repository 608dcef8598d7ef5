"""Schemas of the notifications API."""
from marshmallow import Schema, fields, validate

from notifications.domain import MODES
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


class FollowedOut(Schema):
    proposal_id = fields.Str()
    reason = fields.Str(metadata={"description": "supported, voted or followed (never how one voted)"})
    at = fields.DateTime()


class FollowsOut(Schema):
    follows = fields.List(fields.Nested(FollowedOut))


class LanguageArgs(Schema):
    lang = fields.Str(load_default="sl", validate=validate.Length(min=1, max=35),
                      metadata={"description": "The language of the subjects in the answer"})


class KindOut(Schema):
    kind = fields.Str()
    group = fields.Str(metadata={"description": "author, follower or staff: why the account receives it"})
    subject = fields.Str()
    mode = fields.Str(metadata={"description": "immediately, daily (in the digest) or never"})


class PreferencesOut(Schema):
    modes = fields.List(fields.Str())
    kinds = fields.List(fields.Nested(KindOut))


class PreferencesIn(Schema):
    modes = fields.Dict(keys=fields.Str(validate=validate.Length(min=1, max=80)),
                        values=fields.Str(validate=validate.OneOf(MODES)), required=True,
                        validate=validate.Length(max=50),
                        metadata={"description": "kind -> immediately, daily or never; kinds not named stay"})


class UnsubscribedOut(Schema):
    kind = fields.Str()
    subject = fields.Str()
    mode = fields.Str()


from notifications import webhook_schemas as webhooks  # noqa: E402,F401  (outbound webhooks)
