"""Documents of the voting service."""
from __future__ import annotations

import mongoengine as me

from services.db import utcnow
from voting.import_store import IMPORT_MODELS


class Vote(me.Document):
    """A published proposal as voting knows it (projection) and its voting window."""

    id = me.StringField(primary_key=True)  # the proposal id
    municipality = me.StringField(required=True)
    process_id = me.StringField(required=True)
    title = me.StringField(required=True)
    theme = me.StringField(required=True)
    competence = me.StringField(required=True)
    author_id = me.StringField(required=True)
    status = me.StringField(required=True, default="published")
    opened_at = me.DateTimeField(null=True)
    closed_at = me.DateTimeField(null=True)
    opens_at = me.DateTimeField(null=True)  # scheduled: the window job opens and closes on time
    closes_at = me.DateTimeField(null=True)
    rules = me.DictField(null=True)  # per-vote override of the process rules; frozen at opening
    supports = me.IntField(default=0)
    final_tally = me.DictField(null=True)
    outcome = me.StringField(null=True)
    opening_electorate = me.IntField(null=True)  # eligible residents on the register when it opened
    electorate = me.IntField(null=True)  # the electorate the vote was decided with (see domain.ELECTORATE_AT_OPENING)
    turnout = me.FloatField(null=True)
    quorum_met = me.BooleanField(null=True)
    tie = me.BooleanField(null=True)
    tally_check = me.StringField(null=True)  # after the close: "matched" or "mismatch" (handlers.on_voting_closed)
    tally_checked_at = me.DateTimeField(null=True)
    meta = {"collection": "votes", "indexes": ["municipality", ("status", "opens_at"), ("status", "closes_at")]}


class BallotGate(me.Document):
    """One of GATES stripes of an open vote. A ballot writes its voter's stripe; closing writes
    them all. So a ballot racing the close always conflicts with it (counted, or refused), while
    ballots conflict with only 1/GATES of each other instead of all queueing on one document."""

    id = me.StringField(primary_key=True)  # "<vote id>:<stripe>"
    vote_id = me.StringField(required=True)
    municipality = me.StringField(required=True)
    open = me.BooleanField(default=True)
    ballots = me.IntField(default=0)
    # The running count of this stripe, changed in each ballot's own transaction: choice (or option)
    # -> ballots. The vote's live tally is the sum over its gates; it never travels on the bus.
    tally = me.DictField(default=dict)
    meta = {"collection": "ballot_gates", "indexes": ["vote_id"]}


class Ballot(me.Document):
    """One per (voter, vote): the _id is derived from both, so a second ballot replaces the first."""

    id = me.StringField(primary_key=True)
    vote_id = me.StringField(required=True)
    voter = me.StringField(required=True)  # pseudonymous: a keyed hash of the voter's id
    sealed_voter = me.StringField(null=True)  # the account id, sealed (counting.seal): the list of participants
    choice = me.StringField(required=True, choices=("yes", "no", "abstain"))
    cast_at = me.DateTimeField(default=utcnow)
    version = me.IntField(default=1)  # +1 on every change of choice
    receipts = me.ListField(me.StringField())  # digests of the receipt of version 1, 2, ...
    meta = {"collection": "ballots", "indexes": ["vote_id", "receipts"]}


class Support(me.Document):
    """One resident's support of a published proposal, under the same per-vote pseudonym as ballots."""

    id = me.StringField(primary_key=True)  # "<vote id>:<voter key>"
    vote_id = me.StringField(required=True)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "supports", "indexes": ["vote_id"]}


class Comment(me.Document):
    """A contribution to the deliberation on a proposal: an argument for, against, or a neutral remark."""

    id = me.StringField(primary_key=True)
    vote_id = me.StringField(required=True)
    municipality = me.StringField(required=True)
    parent_id = me.StringField(null=True)
    depth = me.IntField(default=0)
    author_id = me.StringField(required=True)
    alignment = me.StringField(required=True, choices=("for", "against", "neutral"))
    body = me.StringField(null=True)  # None once deleted
    status = me.StringField(default="visible", choices=("visible", "deleted", "hidden"))
    hidden_reason = me.StringField(null=True)
    posted_at = me.DateTimeField(default=utcnow)
    edited_at = me.DateTimeField(null=True)
    endorsements = me.IntField(default=0)
    reports = me.IntField(default=0)
    verified_reports = me.IntField(default=0)  # by residents verified against the register
    pending_reports = me.IntField(default=0)  # reports staff have not yet looked at (dismissing zeroes it)
    pending_since = me.DateTimeField(null=True)  # the first of those reports
    meta = {"collection": "comments", "indexes": [("vote_id", "posted_at"), ("municipality", "reports"),
                                                  ("author_id", "-posted_at")]}


class Endorsement(me.Document):
    id = me.StringField(primary_key=True)  # "<comment id>:<account id>"
    comment_id = me.StringField(required=True)
    meta = {"collection": "endorsements"}


class CommentReport(me.Document):
    id = me.StringField(primary_key=True)  # "<comment id>:<account id>"
    comment_id = me.StringField(required=True)
    reporter_id = me.StringField(null=True)
    verified = me.BooleanField(default=False)  # a verified resident when reporting
    reason = me.StringField(required=True)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "comment_reports"}


class ApprovalVote(me.Document):
    """A process-level approval ballot over several measures: select up to max_selections."""

    id = me.StringField(primary_key=True)
    municipality = me.StringField(required=True)
    process_id = me.StringField(required=True)
    title = me.StringField(required=True)
    options = me.ListField(me.DictField(), required=True)  # [{"id", "label"}] in ballot-paper order
    max_selections = me.IntField(required=True)
    status = me.StringField(default="published")
    opens_at = me.DateTimeField(null=True)
    closes_at = me.DateTimeField(null=True)
    opened_at = me.DateTimeField(null=True)
    closed_at = me.DateTimeField(null=True)
    rules = me.DictField(null=True)
    live_tally = me.DictField(default=dict)  # unused since issue 8: the gates count (counting.live_tally)
    final_tally = me.DictField(null=True)
    ballots = me.IntField(null=True)
    electorate = me.IntField(null=True)
    turnout = me.FloatField(null=True)
    quorum_met = me.BooleanField(null=True)
    ranking = me.ListField(me.StringField())
    tally_check = me.StringField(null=True)  # after the close: "matched" or "mismatch"
    tally_checked_at = me.DateTimeField(null=True)
    meta = {"collection": "approval_votes",
            "indexes": ["municipality", ("status", "opens_at"), ("status", "closes_at")]}


class ApprovalBallot(me.Document):
    id = me.StringField(primary_key=True)  # "<approval vote id>:<voter key>"
    vote_id = me.StringField(required=True)
    voter = me.StringField(required=True)
    selections = me.ListField(me.StringField())
    cast_at = me.DateTimeField(default=utcnow)
    version = me.IntField(default=1)
    receipts = me.ListField(me.StringField())
    meta = {"collection": "approval_ballots", "indexes": ["vote_id", "receipts"]}


class ProcessRules(me.Document):
    """The voting rules of one participation process (quorum, majority, ties, live results, supports)."""

    id = me.StringField(primary_key=True)  # "<municipality>:<process id>"
    municipality = me.StringField(required=True)
    process_id = me.StringField(required=True)
    rules = me.DictField(required=True)
    meta = {"collection": "process_rules"}


class RegisterEntry(me.Document):
    """One eligible resident on a municipality's register, as imported by staff."""

    id = me.StringField(primary_key=True)  # "<municipality>:<reference>"
    municipality = me.StringField(required=True)
    reference = me.StringField(required=True)
    birth_digest = me.StringField(required=True)  # keyed hash: the register keeps no birth dates
    eligible = me.BooleanField(default=True)
    batch = me.StringField(required=True)
    imported_at = me.DateTimeField(default=utcnow)
    removed_by = me.StringField(null=True)  # the replacing import that took it off the register
    meta = {"collection": "register", "indexes": [("municipality", "eligible"), ("municipality", "batch")]}


class Verification(me.Document):
    """An account matched to one register entry (one account per entry). Links no ballot."""

    id = me.StringField(primary_key=True)  # the account id
    municipality = me.StringField(required=True)
    entry_id = me.StringField(required=True, unique=True)
    rule = me.StringField(required=True)
    verified_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "verifications"}


class VerificationAttempts(me.Document):
    """Failed verification attempts of an account in the current hour (guessing is bounded)."""

    id = me.StringField(primary_key=True)  # "<account id>:<hour>"
    failures = me.IntField(default=0)
    meta = {"collection": "verification_attempts"}


class BlockedAccount(me.Document):
    """An account the municipality's staff blocked (projection of proposals.user_blocked): it cannot comment."""

    id = me.StringField(primary_key=True)  # "<municipality>:<account id>"
    municipality = me.StringField(required=True)
    user_id = me.StringField(required=True)
    meta = {"collection": "blocked_accounts"}


MODELS = (Vote, BallotGate, Ballot, ApprovalVote, ApprovalBallot, Support, Comment, Endorsement,
          CommentReport, ProcessRules, RegisterEntry, Verification, VerificationAttempts,
          BlockedAccount, *IMPORT_MODELS)
