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
    # Abuse limits of its own, over the platform's (gateway.abuse): {kind: {"per_account": n, "per_address": n}}
    limits = me.DictField()
    created_at = me.DateTimeField(default=utcnow)
    updated_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "municipalities"}

    @property
    def code(self) -> str:
        return self.id


class AbuseBlock(me.Document):
    """Staff refuse registrations and supports from a client network or an e-mail domain (gateway.blocks)."""

    id = me.StringField(primary_key=True, default=new_id)
    municipality = me.StringField(required=True)
    kind = me.StringField(required=True, choices=("address", "domain"))
    value = me.StringField(required=True)  # a network in CIDR notation (one address: /32 or /128), or a domain
    reason = me.StringField(default="")
    by = me.StringField(required=True)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "abuse_blocks",
            "indexes": [{"fields": ["municipality", "kind", "value"], "unique": True}]}


class WriteTrace(me.Document):
    """Where one registration or support came from, for staff to find and undo a burst; never the
    address itself: its /24 (/48) network and a keyed hash of it. Kept TRACE_DAYS."""

    id = me.StringField(primary_key=True, default=new_id)
    kind = me.StringField(required=True, choices=("registration", "support"))
    municipality = me.StringField(required=True)
    account_id = me.StringField(required=True)
    domain = me.StringField(required=True)  # of the account's e-mail address
    network = me.StringField(null=True)
    address_hash = me.StringField(null=True)
    target = me.StringField(null=True)  # the supported proposal
    at = me.DateTimeField(default=utcnow)
    invalidated_at = me.DateTimeField(null=True)
    meta = {"collection": "write_traces",
            "indexes": [("municipality", "kind", "at"), {"fields": ["at"], "expireAfterSeconds": 30 * 86400}]}


class AbuseAction(me.Document):
    """The audit log of staff's defences: blocks added and lifted, bursts invalidated."""

    id = me.StringField(primary_key=True, default=new_id)
    municipality = me.StringField(required=True)
    actor_id = me.StringField(required=True)
    action = me.StringField(required=True)
    detail = me.DictField()
    count = me.IntField(default=0)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "abuse_actions", "indexes": [("municipality", "-at")]}


MODELS = (Account, PasswordReset, DeletedAccount, Municipality, AbuseBlock, WriteTrace, AbuseAction)  # failed sign-ins and registrations are counted by services.limits
