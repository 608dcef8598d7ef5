"""Schemas of the gateway's own endpoints (inner services' schemas are reused as they are)."""
from marshmallow import Schema, fields, post_dump, validate

from gateway.abuse import KINDS
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



class LimitIn(Schema):
    per_account = fields.Int(validate=validate.Range(min=0, max=1_000_000),
                             metadata={"description": "Writes an hour per account; 0: no limit"})
    per_address = fields.Int(validate=validate.Range(min=0, max=1_000_000),
                             metadata={"description": "Writes an hour per client address; 0: no limit"})


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
    limits = fields.Dict(keys=fields.Str(validate=validate.OneOf(KINDS)), values=fields.Nested(LimitIn),
                         metadata={"description": "Abuse limits over the platform's, by kind (" + ", ".join(KINDS)
                                   + "); a kind left out keeps the platform's"})


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
    limits = fields.Dict(metadata={"description": "Its own abuse limits, when it has any"})
    has_coat_of_arms = fields.Function(lambda m: bool(getattr(m, "coat_of_arms", None)))

    @post_dump
    def _own_limits_only(self, data, **_):
        if not data.get("limits"):
            data.pop("limits", None)  # the platform's: nothing of its own to show
        return data


class AbuseBlockIn(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(("address", "domain")),
                      metadata={"description": "address: an IP address or a CIDR network; domain: an e-mail domain"})
    value = fields.Str(required=True, validate=validate.Length(min=1, max=253))
    reason = fields.Str(load_default="", validate=validate.Length(max=500))


class AbuseBlockOut(Schema):
    id = fields.Str()
    kind = fields.Str()
    value = fields.Str()
    reason = fields.Str()
    by = fields.Str()
    at = fields.DateTime()


class BurstArgs(Schema):
    kind = fields.Str(load_default="support", validate=validate.OneOf(("registration", "support")))
    by = fields.Str(load_default="network", validate=validate.OneOf(("network", "domain")))
    minutes = fields.Int(load_default=60, validate=validate.Range(min=1, max=30 * 24 * 60))


class BurstOut(Schema):
    key = fields.Str(metadata={"description": "The /24 (/48) network, or the e-mail domain"})
    count = fields.Int()
    accounts = fields.Int()
    addresses = fields.Int(metadata={"description": "Distinct client addresses (told apart by a keyed hash)"})
    first_at = fields.DateTime()
    last_at = fields.DateTime()


class InvalidationIn(BurstArgs):
    key = fields.Str(required=True, validate=validate.Length(min=1, max=253))
    confirm = fields.Bool(load_default=False, metadata={"description": "false: only count what would go"})


class InvalidationOut(Schema):
    kind = fields.Str()
    by = fields.Str()
    key = fields.Str()
    matched = fields.Int()
    accounts = fields.Int()
    invalidated = fields.Int()
    confirmed = fields.Bool()


class AbuseActionOut(Schema):
    action = fields.Str()
    actor_id = fields.Str()
    detail = fields.Dict()
    count = fields.Int()
    at = fields.DateTime()
