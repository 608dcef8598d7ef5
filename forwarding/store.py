"""Documents of the forwarding service."""
from __future__ import annotations

import mongoengine as me

from services.db import utcnow


class Institution(me.Document):
    """A national body that receives dossiers, and how to reach it (the directory, staff-editable)."""

    id = me.StringField(primary_key=True)  # short code, e.g. "mddsz"
    name = me.DictField(required=True)  # language -> name
    acronym = me.DictField()  # language -> acronym
    themes = me.ListField(me.StringField())
    channel = me.StringField(default="webhook", choices=("webhook", "email", "manual"))
    webhook_url = me.StringField(null=True)
    secret = me.StringField(null=True)  # the webhook's shared HMAC secret: never returned by the API
    email = me.StringField(null=True)  # official intake address
    postal_address = me.StringField(null=True)
    deadline_days = me.IntField(default=30)
    contacts = me.ListField(me.DictField())  # [{"name", "email", "phone"}]
    escalation_to = me.StringField(null=True)  # an institution id or an e-mail address
    account_ids = me.ListField(me.StringField())  # gateway accounts (role institution) acting for it
    api_key_hash = me.StringField(null=True)
    breaker_threshold = me.IntField(null=True)  # consecutive failures that open the circuit
    breaker_cooldown_seconds = me.FloatField(null=True)
    updated_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "institutions", "indexes": ["account_ids", "api_key_hash"]}

    def as_route(self) -> dict:
        return {"id": self.id, "name": self.name, "acronym": self.acronym or {}, "themes": list(self.themes),
                "channel": self.channel, "deadline_days": self.deadline_days}


class Conclusion(me.Document):
    """What forwarding knows of a conclusion it must forward (projection of voting.conclusion_reached)."""

    id = me.StringField(primary_key=True)  # proposal id
    municipality = me.StringField(required=True)
    data = me.DictField(required=True)  # the event payload
    correlation_id = me.StringField()
    reached_at = me.DateTimeField(default=utcnow)
    staff_note = me.StringField(null=True)
    justification = me.StringField(null=True)
    reviewed_by = me.StringField(null=True)
    routing = me.StringField(null=True)  # routed | needs_routing (no institution covers it); None: before issue 8
    # The cross-municipality group (forwarding.grouping): the id of its first conclusion; None until grouped.
    group_id = me.StringField(null=True)
    group_seed = me.BooleanField(default=False)  # the group's first conclusion, that later ones are compared to
    meta = {"collection": "conclusions", "indexes": ["municipality", ("municipality", "routing", "reached_at"),
                                                    "group_id", ("data.theme", "group_seed")]}


class Dossier(me.Document):
    id = me.StringField(primary_key=True)
    municipality = me.StringField(required=True)
    proposal_id = me.StringField(required=True)
    institution_id = me.StringField(required=True)
    channel = me.StringField(default="webhook")
    document = me.DictField(null=True)  # built once on approval: every attempt sends the same bytes
    digest = me.StringField(null=True)
    signature = me.StringField(null=True)  # Ed25519 over the canonical document, base64
    key_id = me.StringField(null=True)
    status = me.StringField(required=True, default="prepared")
    attempts = me.IntField(default=0)
    next_attempt_at = me.DateTimeField(default=utcnow)
    lease_until = me.DateTimeField(null=True)
    last_error = me.StringField(null=True)
    receipt = me.StringField(null=True)
    created_at = me.DateTimeField(default=utcnow)
    dispatched_at = me.DateTimeField(null=True)
    acknowledged_at = me.DateTimeField(null=True)
    due_at = me.DateTimeField(null=True)
    replied_at = me.DateTimeField(null=True)
    reply = me.DictField(null=True)
    fired = me.ListField(me.StringField())  # deadline steps already announced: reminder_before, ...
    timeline = me.ListField(me.DictField())  # [{"at", "step", ...}] for the public tracker
    # the reply's machine translation rounds (forwarding.reply_translations)
    translation_done = me.BooleanField(default=False)
    translation_attempts = me.IntField(default=0)
    translation_next_at = me.DateTimeField(null=True)
    translation_errors = me.DictField(null=True)  # language -> the provider's last error
    meta = {"collection": "dossiers", "indexes": ["proposal_id", ("status", "next_attempt_at"),
                                                 ("municipality", "created_at"), "due_at"]}


class Breaker(me.Document):
    """The circuit breaker of one institution's intake."""

    id = me.StringField(primary_key=True)  # institution id
    failures = me.IntField(default=0)  # consecutive
    open_until = me.DateTimeField(null=True)
    meta = {"collection": "breakers"}


class SigningKey(me.Document):
    """A municipality's Ed25519 key. The private half is in this database, or with
    CIVIC_SIGNING_KEY_DIR only in that directory (private_pem None): see forwarding/keys.py."""

    id = me.StringField(primary_key=True)  # key id
    municipality = me.StringField(required=True)
    private_pem = me.StringField(null=True)
    public_raw = me.StringField(required=True)  # base64url, as in a JWK "x"
    created_at = me.DateTimeField(default=utcnow)
    active = me.BooleanField(default=True)
    retired_at = me.DateTimeField(null=True)  # when a rotation replaced it (it stays published)
    meta = {"collection": "signing_keys", "indexes": ["municipality"]}


class Policy(me.Document):
    """Per municipality: do forwarded conclusions wait for staff review before dispatch?"""

    id = me.StringField(primary_key=True)  # municipality
    review_required = me.BooleanField(default=False)
    meta = {"collection": "policies"}


class MunicipalAction(me.Document):
    id = me.StringField(primary_key=True)  # proposal id
    municipality = me.StringField(required=True)
    title = me.StringField(required=True)
    theme = me.StringField()
    status = me.StringField(default="open")
    created_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "municipal_actions", "indexes": ["municipality"]}


class ClockOffset(me.Document):
    """The test clock's offset (only honoured when CIVIC_TEST_CLOCK=1)."""

    id = me.StringField(primary_key=True)
    seconds = me.FloatField(default=0.0)
    meta = {"collection": "clock"}


MODELS = (Institution, Conclusion, Dossier, Breaker, SigningKey, Policy, MunicipalAction, ClockOffset)


class ProposalFacts(me.Document):
    """What a dossier tells of a proposal beyond the conclusion: summary, deliberation, workshops
    (projection of proposals.proposal_submitted/edited/workshop_input_recorded and voting.comment_*)."""

    id = me.StringField(primary_key=True)  # proposal id
    summary = me.StringField(null=True)
    language = me.StringField(null=True)
    comments = me.IntField(default=0)
    hidden = me.IntField(default=0)
    alignment = me.DictField()  # "for" / "against" / "neutral" -> count
    workshops = me.ListField(me.DictField())
    meta = {"collection": "proposal_facts"}


MODELS = (*MODELS, ProposalFacts)


class AttachmentChunk(me.Document):
    """A piece of a reply attachment's bytes, kept by the file's SHA-256 digest (issue 13)."""

    id = me.StringField(primary_key=True)  # "<sha256>:<n>"
    sha256 = me.StringField(required=True)
    n = me.IntField(required=True)
    data = me.BinaryField(required=True)
    meta = {"collection": "attachment_chunks", "indexes": [("sha256", "n")]}


MODELS = (*MODELS, AttachmentChunk)


class MunicipalityLanguages(me.Document):
    """A municipality's languages, which its replies are translated into (projection of
    accounts.municipality_created/updated)."""

    id = me.StringField(primary_key=True)  # municipality code
    languages = me.ListField(me.StringField())
    default_language = me.StringField(default="sl")
    meta = {"collection": "municipality_languages"}


MODELS = (*MODELS, MunicipalityLanguages)
