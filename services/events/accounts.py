"""Events of the gateway's accounts and municipalities."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.events.vocabulary import ROLES, id_field

class AccountRegistered(Schema):
    user_id = id_field()
    email = fields.Email(required=True)
    language = fields.Str(required=True)
    role = fields.Str(required=True, validate=validate.OneOf(ROLES))


class AccountUpdated(Schema):
    """What other services keep of an account changed: the language its mails are written in."""

    user_id = id_field()
    language = fields.Str(required=True)


class PasswordResetRequested(Schema):
    """Someone asked for a link to choose a new password: notifications mails it (and nowhere else).
    The link carries the token; the gateway keeps only its hash, and it works once within an hour."""

    user_id = id_field()
    email = fields.Email(required=True)
    language = fields.Str(required=True)
    link = fields.Url(required=True, require_tld=False, schemes={"http", "https"})


class SignInFailuresBurst(Schema):
    """An account saw `failures` failed sign-ins within `minutes` (from anywhere): its owner is told by
    mail, once in such a window. Sign-ins wait per address, so the owner can still sign in."""

    user_id = id_field()
    email = fields.Email(required=True)
    language = fields.Str(required=True)
    failures = fields.Int(required=True, validate=validate.Range(min=1))
    minutes = fields.Int(required=True, validate=validate.Range(min=1))


class AccountDeleted(Schema):
    """The person closed their account: every service forgets what names or reaches them (the
    gateway its account, notifications the e-mail address, inbox, follows and settings). What they
    published stays, under an id that no longer leads to anyone; ballots stay counted and anonymous."""

    user_id = id_field()


class MunicipalitySaved(Schema):
    code = fields.Str(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]{1,39}$"))
    name = fields.Str(required=True, validate=validate.Length(min=1, max=100))
    languages = fields.List(fields.Str(), required=True, validate=validate.Length(min=1))
    default_language = fields.Str(required=True)
    timezone = fields.Str(required=True)


# event_type -> (current schema_version, payload schema)
TYPES: dict[str, tuple[int, type[Schema]]] = {
    "accounts.account_registered": (1, AccountRegistered),
    "accounts.account_updated": (1, AccountUpdated),
    "accounts.password_reset_requested": (1, PasswordResetRequested),
    "accounts.account_deleted": (1, AccountDeleted),
    "accounts.sign_in_failures_burst": (1, SignInFailuresBurst),
    "accounts.municipality_created": (1, MunicipalitySaved),
    "accounts.municipality_updated": (1, MunicipalitySaved),
}
