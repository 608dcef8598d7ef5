"""Documents of the gateway."""
from __future__ import annotations

import mongoengine as me

from gateway.branding import DEFAULT_ACCENT
from services.db import new_id, utcnow


class Account(me.Document):
    id = me.StringField(primary_key=True, default=new_id)
    email = me.StringField(required=True, unique=True)
    password_hash = me.StringField(required=True)
    role = me.StringField(required=True, choices=("resident", "staff", "institution", "operator"))
    municipality = me.StringField(required=True)
    language = me.StringField(default="sl")
    display_name = me.StringField(null=True)  # how the person wants to be called; optional
    # Raised by sign-out, password change and reset: user tokens carrying a lower one are refused.
    token_version = me.IntField(default=0)
    created_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "accounts"}


class PasswordReset(me.Document):
    """A link to choose a new password: only the SHA-256 of its token is kept, it expires, it works once."""

    id = me.StringField(primary_key=True)  # hex SHA-256 of the token sent by mail
    account_id = me.StringField(required=True)
    created_at = me.DateTimeField(default=utcnow)
    expires_at = me.DateTimeField(required=True)
    used_at = me.DateTimeField(null=True)
    meta = {"collection": "password_resets", "indexes": ["account_id"]}


class DeletedAccount(me.Document):
    """An account closed by its person: its user tokens are refused until they would have expired."""

    id = me.StringField(primary_key=True)  # the account id
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "deleted_accounts", "indexes": ["at"]}


class Municipality(me.Document):
    id = me.StringField(primary_key=True)  # the code, as it stands in paths and in every service's data
    name = me.StringField(required=True)
    languages = me.ListField(me.StringField(), required=True)
    default_language = me.StringField(required=True)
    timezone = me.StringField(required=True, default="Europe/Ljubljana")
    accent_colour = me.StringField(required=True, default=DEFAULT_ACCENT)
    coat_of_arms = me.BinaryField(null=True)
    coat_of_arms_type = me.StringField(null=True)
    created_at = me.DateTimeField(default=utcnow)
    updated_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "municipalities"}

    @property
    def code(self) -> str:
        return self.id


MODELS = (Account, PasswordReset, DeletedAccount, Municipality)  # failed sign-ins and registrations are counted by services.limits
