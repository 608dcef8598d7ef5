"""Documents of the forwarding service."""
from __future__ import annotations

import mongoengine as me

from services.db import utcnow


class Institution(me.Document):
    """A national body that receives dossiers, and how to reach it."""

    id = me.StringField(primary_key=True)  # short code, e.g. "mddsz"
    name = me.DictField(required=True)  # language -> name
    themes = me.ListField(me.StringField())
    webhook_url = me.StringField(required=True)
    secret = me.StringField(required=True)
    deadline_days = me.IntField(default=30)
    meta = {"collection": "institutions"}

    def as_route(self) -> dict:
        return {"id": self.id, "name": self.name, "themes": list(self.themes)}


class Dossier(me.Document):
    id = me.StringField(primary_key=True)
    municipality = me.StringField(required=True)
    proposal_id = me.StringField(required=True)
    institution_id = me.StringField(required=True)
    document = me.DictField(required=True)  # built once: every attempt sends the same bytes
    digest = me.StringField(required=True)
    status = me.StringField(required=True, default="prepared")
    attempts = me.IntField(default=0)
    next_attempt_at = me.DateTimeField(default=utcnow)
    lease_until = me.DateTimeField(null=True)
    last_error = me.StringField(null=True)
    receipt = me.StringField(null=True)
    created_at = me.DateTimeField(default=utcnow)
    acknowledged_at = me.DateTimeField(null=True)
    meta = {"collection": "dossiers", "indexes": ["proposal_id", ("status", "next_attempt_at")]}


MODELS = (Institution, Dossier)
