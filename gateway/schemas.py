"""Schemas of the gateway's own endpoints (inner services' schemas are reused as they are)."""
from marshmallow import Schema, fields, validate

from gateway.domain import MUNICIPALITIES
from services.i18n import LANGUAGES


class RegisterIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200))
    municipality = fields.Str(required=True, validate=validate.OneOf(list(MUNICIPALITIES)))
    language = fields.Str(load_default="sl", validate=validate.OneOf(list(LANGUAGES)))


class LoginIn(Schema):
    email = fields.Str(required=True, validate=validate.Length(min=3, max=254))
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200))


class AccountOut(Schema):
    id = fields.Str()
    email = fields.Str()
    role = fields.Str()
    municipality = fields.Str()
    language = fields.Str()


class TokenOut(Schema):
    token = fields.Str()
    token_type = fields.Str()
    expires_in = fields.Int()
    user = fields.Nested(AccountOut)


class PublicArgs(Schema):
    municipality = fields.Str(load_default="idrija", validate=validate.OneOf(list(MUNICIPALITIES)))
