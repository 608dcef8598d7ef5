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


MODELS = (Account,)  # failed sign-ins and registrations are counted by services.limits
