"""Documents of the proposals service."""
from __future__ import annotations

import mongoengine as me

from services.db import new_id, utcnow


class Process(me.Document):
    """A participatory process of one municipality, with its phases and themes."""

    id = me.StringField(primary_key=True)
    municipality = me.StringField(required=True)
    title = me.DictField(required=True)  # language -> text
    description = me.DictField(default=dict)  # language -> text
    phases = me.ListField(me.DictField(), default=list)  # [{code, starts_on, ends_on}] ISO dates
    themes = me.DictField(required=True)  # theme code -> default competence
    created_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "processes", "indexes": ["municipality"]}


class Theme(me.Document):
    """A municipality's own theme, next to the nine national areas."""

    id = me.StringField(primary_key=True)  # "<municipality>:<code>"
    municipality = me.StringField(required=True)
    code = me.StringField(required=True)
    labels = me.DictField(required=True)
    competence = me.StringField(required=True)
    meta = {"collection": "themes", "indexes": ["municipality"]}


class Proposal(me.Document):
    id = me.StringField(primary_key=True, default=new_id)
    municipality = me.StringField(required=True)
    process_id = me.StringField(required=True)
    phase = me.StringField(null=True)
    title = me.StringField(required=True, max_length=200)
    summary = me.StringField(required=True, max_length=1000)
    body = me.StringField(max_length=20000, default="")
    theme = me.StringField(required=True)
    default_competence = me.StringField(null=True)
    language = me.StringField(required=True)
    translations = me.DictField(default=dict)  # language -> {title, summary, body}
    tags = me.ListField(me.StringField(), default=list)
    author_id = me.StringField(required=True)
    author_kind = me.StringField(default="resident")
    organisation = me.StringField(null=True)
    workshop = me.DictField(null=True)  # provenance of workshop input
    status = me.StringField(required=True, default="pending")
    version = me.IntField(default=1)
    competence = me.StringField(null=True)
    competence_justification = me.StringField(null=True)
    rejection_reason = me.StringField(null=True)
    reason_code = me.StringField(null=True)
    moderator_note = me.StringField(null=True)
    hidden_reason = me.StringField(null=True)
    duplicate_of = me.StringField(null=True)
    duplicates = me.ListField(me.StringField(), default=list)
    reports = me.IntField(default=0)  # every report, for staff
    verified_reports = me.IntField(default=0)  # reports by verified residents: these may hide it
    supports = me.IntField(default=0)
    comments = me.IntField(default=0)
    search_terms = me.ListField(me.StringField(), default=list)
    created_at = me.DateTimeField(default=utcnow)
    submitted_at = me.DateTimeField(default=utcnow)  # last (re)submission, for the queue's age
    decided_at = me.DateTimeField(null=True)
    meta = {"collection": "proposals",
            "indexes": [("municipality", "status", "-created_at"), "author_id", "search_terms",
                        ("municipality", "-supports"), ("municipality", "-comments")]}


class ProposalVersion(me.Document):
    """Every version of a proposal's text, kept when it is submitted or edited."""

    id = me.StringField(primary_key=True)  # "<proposal>:<version>"
    proposal_id = me.StringField(required=True)
    version = me.IntField(required=True)
    title = me.StringField(required=True)
    summary = me.StringField(required=True)
    body = me.StringField(default="")
    theme = me.StringField(required=True)
    tags = me.ListField(me.StringField(), default=list)
    translations = me.DictField(default=dict)
    editor_id = me.StringField(required=True)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "proposal_versions", "indexes": ["proposal_id"]}


class Report(me.Document):
    """One resident's report of one proposal (the _id makes it once per person)."""

    id = me.StringField(primary_key=True)  # "<proposal>:<reporter>"
    municipality = me.StringField(required=True)
    proposal_id = me.StringField(required=True)
    reporter_id = me.StringField(required=True)
    verified = me.BooleanField(default=False)  # a verified resident when reporting (counts toward auto-hide)
    reason = me.StringField(required=True)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "reports", "indexes": ["proposal_id"]}


class VerifiedResident(me.Document):
    """A resident voting has verified against the register (projection of voting.resident_verified)."""

    id = me.StringField(primary_key=True)  # the account id
    municipality = me.StringField(required=True)
    verified_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "verified_residents"}


class ModerationSettings(me.Document):
    id = me.StringField(primary_key=True)  # municipality
    auto_hide_reports = me.IntField(default=3)
    target_hours = me.FloatField(default=72.0)
    # Off by default only because existing clients approve overrides without one (see docs).
    require_justification = me.BooleanField(default=True)
    summary_hours = me.FloatField(default=24.0)  # 0: no pending summaries to staff
    summary_sent_at = me.DateTimeField(null=True)
    meta = {"collection": "moderation_settings"}


class Block(me.Document):
    id = me.StringField(primary_key=True)  # "<municipality>:<user>"
    municipality = me.StringField(required=True)
    user_id = me.StringField(required=True)
    reason = me.StringField(required=True)
    by = me.StringField(required=True)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "blocks", "indexes": ["municipality"]}


class AuditEntry(me.Document):
    """One moderation decision: who, when, what, why; written with the decision itself."""

    id = me.StringField(primary_key=True)  # the event_id of the decision
    municipality = me.StringField(required=True)
    subject = me.StringField(required=True)  # proposal or user id
    action = me.StringField(required=True)
    actor_id = me.StringField(null=True)
    actor_role = me.StringField(required=True)
    from_status = me.StringField(null=True)
    to_status = me.StringField(null=True)
    reason = me.StringField(null=True)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "audit", "indexes": [("municipality", "-at"), "subject"]}


MODELS = (Process, Theme, Proposal, ProposalVersion, Report, ModerationSettings, Block, AuditEntry,
          VerifiedResident)
