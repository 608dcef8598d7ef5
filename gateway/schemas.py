"""Schemas of the gateway's own endpoints (inner services' schemas are reused as they are)."""
from marshmallow import Schema, fields, validate

from services.i18n import LANGUAGES


class RegisterIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200))
    municipality = fields.Str(required=True, validate=validate.Length(min=2, max=40),
                              metadata={"description": "A municipality's code, from GET /municipalities"})
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
    display_name = fields.Str(allow_none=True)


class AccountPatch(Schema):
    display_name = fields.Str(allow_none=True, validate=validate.Length(max=80),
                              metadata={"description": "How to call the person; empty or null removes it"})
    language = fields.Str(validate=validate.OneOf(list(LANGUAGES)),
                          metadata={"description": "The language of the pages and of the e-mails"})


class PasswordChangeIn(Schema):
    current_password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200))
    new_password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200),
                              metadata={"description": "At least 10 characters, not only letters or only digits"})


class PasswordChangedOut(Schema):
    changed = fields.Bool()
    token = fields.Str(metadata={"description": "After a change (not a reset): a fresh bearer token. Every "
                                                "token issued before, this request's own too, is refused now."})


class DeletionIn(Schema):
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "The account's password, to confirm"})


class DeletionOut(Schema):
    deleted = fields.Bool()


class ResetRequestIn(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class ResetRequestedOut(Schema):
    message = fields.Str(metadata={"description": "The same whether or not an account has this address"})


class ResetIn(Schema):
    token = fields.Str(required=True, load_only=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{20,128}$"),
                       metadata={"description": "The token of the link sent by e-mail"})
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "The new password, by the rules of registration"})


class TokenOut(Schema):
    token = fields.Str()
    token_type = fields.Str()
    expires_in = fields.Int()
    user = fields.Nested(AccountOut)



class MunicipalityIn(Schema):
    code = fields.Str(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]{1,39}$"))
    name = fields.Str(required=True, validate=validate.Length(min=1, max=100))
    languages = fields.List(fields.Str(validate=validate.OneOf(list(LANGUAGES))), required=True,
                            validate=validate.Length(min=1, max=len(LANGUAGES)))
    default_language = fields.Str(validate=validate.OneOf(list(LANGUAGES)))
    timezone = fields.Str(load_default="Europe/Ljubljana", validate=validate.Length(min=1, max=64))
    accent_colour = fields.Str(validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$"),
                               metadata={"description": "#rrggbb, with at least 4.5:1 contrast against white"})
    coat_of_arms_base64 = fields.Str(load_only=True, validate=validate.Length(max=300_000),
                                     metadata={"description": "A PNG or JPEG image of at most 200 KiB, base64"})


class MunicipalityPatch(MunicipalityIn):
    class Meta:
        exclude = ("code",)


class MunicipalityOut(Schema):
    code = fields.Str()
    name = fields.Str()
    languages = fields.List(fields.Str())
    default_language = fields.Str()
    timezone = fields.Str()
    accent_colour = fields.Str()
    has_coat_of_arms = fields.Function(lambda m: bool(getattr(m, "coat_of_arms", None)))
