"""Documents of the gateway."""
from __future__ import annotations

import mongoengine as me

from services.db import new_id, utcnow


class Account(me.Document):
    id = me.StringField(primary_key=True, default=new_id)
    email = me.StringField(required=True, unique=True)
    password_hash = me.StringField(required=True)
    role = me.StringField(required=True, choices=("resident", "staff", "institution", "operator"))
    municipality = me.StringField(required=True)
    language = me.StringField(default="sl")
    created_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "accounts"}


class LoginFailures(me.Document):
    """Failed sign-ins for one e-mail address in the current window (brute-force brake)."""

    id = me.StringField(primary_key=True)  # the normalised e-mail
    count = me.IntField(default=0)
    window_start = me.DateTimeField(default=utcnow)
    meta = {"collection": "login_failures"}


MODELS = (Account, LoginFailures)
