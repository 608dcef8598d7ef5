"""Documents of the notifications service."""
from __future__ import annotations

import mongoengine as me

from services.db import new_id, utcnow


class Contact(me.Document):
    """How to reach a person (projection of accounts.account_registered)."""

    id = me.StringField(primary_key=True)  # user id
    email = me.StringField(required=True)
    language = me.StringField(default="sl")
    role = me.StringField(null=True)
    municipality = me.StringField(null=True)
    meta = {"collection": "contacts", "indexes": [("municipality", "role")]}


class KnownProposal(me.Document):
    """Who wrote which proposal (projection of proposals.proposal_submitted)."""

    id = me.StringField(primary_key=True)
    author_id = me.StringField(required=True)
    title = me.StringField(required=True)
    meta = {"collection": "known_proposals"}


class InboxItem(me.Document):
    id = me.StringField(primary_key=True, default=new_id)
    user_id = me.StringField(required=True)
    kind = me.StringField(required=True)
    proposal_id = me.StringField(null=True)
    values = me.DictField()  # rendered in the reader's language when read
    created_at = me.DateTimeField(default=utcnow)
    read = me.BooleanField(default=False)
    meta = {"collection": "inbox", "indexes": [("user_id", "-created_at")]}


class Mail(me.Document):
    """An e-mail to send; the sender job delivers pending ones and marks them sent."""

    id = me.StringField(primary_key=True)
    user_id = me.StringField(required=True)
    kind = me.StringField(required=True)
    proposal_id = me.StringField(null=True)
    values = me.DictField()
    # A mail about the account itself (a password reset) goes to the address and in the language its
    # event named, whatever the contact says; its values are forgotten once it is sent.
    email = me.StringField(null=True)
    language = me.StringField(null=True)
    status = me.StringField(default="pending")  # pending, sent, failed; held (for the digest),
    # digested (sent in one), skipped (the person turned the kind off)
    attempts = me.IntField(default=0)
    created_at = me.DateTimeField(default=utcnow)
    next_attempt_at = me.DateTimeField(default=utcnow)
    sent_at = me.DateTimeField(null=True)
    last_error = me.StringField(null=True)
    claim = me.StringField(null=True)  # the round of the mailer that last claimed it (notifications.sending)
    meta = {"collection": "mails", "indexes": [("status", "next_attempt_at"), ("user_id", "status")]}


class Follow(me.Document):
    """Someone who hears about a proposal: they supported it, voted on it, or chose to follow it.
    It records that they took part, never how they voted."""

    id = me.StringField(primary_key=True)  # "<proposal id>:<user id>"
    proposal_id = me.StringField(required=True)
    user_id = me.StringField(required=True)
    reason = me.StringField(required=True, choices=("supported", "voted", "followed"))
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "follows", "indexes": ["proposal_id", "user_id"]}


class Preference(me.Document):
    """How one person's mails of each kind are sent (domain.MODES); a kind not named: at once."""

    id = me.StringField(primary_key=True)  # user id
    modes = me.DictField()  # kind (its dots written as colons: dots are paths) -> mode
    updated_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "preferences"}


class Digest(me.Document):
    """A person's summary of held mails ("daily"), due once a period after the first of them."""

    id = me.StringField(primary_key=True)  # user id
    due_at = me.DateTimeField(required=True)
    lease_until = me.DateTimeField(null=True)  # a worker is sending it
    meta = {"collection": "digests", "indexes": ["due_at"]}


class ForgottenAccount(me.Document):
    """A closed account (accounts.account_deleted): nothing more is delivered to it."""

    id = me.StringField(primary_key=True)  # user id
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "forgotten_accounts"}


MODELS = (Contact, KnownProposal, InboxItem, Mail, Follow, Preference, Digest, ForgottenAccount)


class ReplyTexts(me.Document):
    """An institution's reply in the municipality's languages, for its mails (projection of
    forwarding.reply_translated): language -> {"text", "summary", "kind"}."""

    id = me.StringField(primary_key=True)  # dossier id
    translations = me.DictField()
    machine_round = me.BooleanField(default=False)  # the machine translated once: mails need not wait
    meta = {"collection": "reply_texts"}


MODELS = (*MODELS, ReplyTexts)
