"""Documents of the proposals service."""
from __future__ import annotations

import mongoengine as me

from services.db import new_id, utcnow


class Process(me.Document):
    """A participatory process of one municipality, with its themes."""

    id = me.StringField(primary_key=True)
    municipality = me.StringField(required=True)
    title = me.DictField(required=True)  # language -> text
    themes = me.DictField(required=True)  # theme code -> default competence
    created_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "processes", "indexes": ["municipality"]}


class Proposal(me.Document):
    id = me.StringField(primary_key=True, default=new_id)
    municipality = me.StringField(required=True)
    process_id = me.StringField(required=True)
    title = me.StringField(required=True, max_length=200)
    summary = me.StringField(required=True, max_length=1000)
    body = me.StringField(max_length=20000, default="")
    theme = me.StringField(required=True)
    language = me.StringField(required=True)
    author_id = me.StringField(required=True)
    status = me.StringField(required=True, default="pending")
    competence = me.StringField(null=True)
    rejection_reason = me.StringField(null=True)
    created_at = me.DateTimeField(default=utcnow)
    decided_at = me.DateTimeField(null=True)
    meta = {"collection": "proposals",
            "indexes": [("municipality", "status", "-created_at"), "author_id"]}


MODELS = (Process, Proposal)
