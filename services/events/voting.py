"""Events of the voting service: votes, ballots' aggregates (never a choice), eligibility, comments, approval ballots."""
from __future__ import annotations

from collections.abc import Callable

from marshmallow import Schema, fields, validate

from services.events.vocabulary import CHOICES, COMPETENCES, OUTCOMES, Tally, id_field, iso_time

class VotingOpened(Schema):
    proposal_id = id_field()


class VoteCast(Schema):
    """Retired (issue 8): no longer published. A choice on the shared bus, at the moment of its ballot
    and in its order, could be joined by time with whatever names the voter. The running count is kept
    in the ballot's own transaction (voting/counting.py); the schema stays so old messages still parse."""

    proposal_id = id_field()
    choice = fields.Str(required=True, validate=validate.OneOf(CHOICES))
    replaced = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(CHOICES))


class VotingClosed(Schema):
    proposal_id = id_field()
    ballots = fields.Int(required=True, strict=True)


PARTICIPANTS_PER_EVENT = 1000  # ~40 kB of ids: far below a message's size limit


class ParticipantsListed(Schema):
    """Who voted (account ids, sorted, never a choice), published once, at the close, in parts of at
    most PARTICIPANTS_PER_EVENT: notifications subscribes them to the proposal (reason "voted")."""

    proposal_id = id_field()
    participants = fields.List(id_field(), required=True, validate=validate.Length(max=PARTICIPANTS_PER_EVENT))
    part = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    parts = fields.Int(required=True, strict=True, validate=validate.Range(min=1))


class ProposalEndorsed(Schema):
    """A verified resident supports a published proposal (before its vote; a public endorsement,
    never a ballot). No supporter: the count after the change."""

    proposal_id = id_field()
    supports = fields.Int(required=True, strict=True, validate=validate.Range(min=0))


ELECTORATE_BASES = ("register_at_opening", "register_at_close")


def _known(kind: type[fields.Field], **options) -> fields.Field:
    """A v2 fact the producer must state; null only where an upcast v1 event did not say it."""
    return kind(required=True, allow_none=True, **options)


class VoteRules(Schema):
    """The rules a vote was decided by, frozen when it opened (voting.domain.Rules), and whose
    register the electorate is: the eligible residents on it at the opening (or, for votes opened
    before v2, at the close)."""

    majority = _known(fields.Str, validate=validate.OneOf(("simple", "absolute", "qualified")))
    qualified_fraction = _known(fields.Float, validate=validate.Range(min=0.5, max=1))
    tie = _known(fields.Str, validate=validate.OneOf(("rejected", "adopted")))
    quorum_ballots = _known(fields.Int, strict=True, validate=validate.Range(min=0))
    quorum_percent = _known(fields.Float, validate=validate.Range(min=0, max=100))
    electorate = _known(fields.Str, validate=validate.OneOf(ELECTORATE_BASES))


class ConclusionReached(Schema):
    """v2 (issue 8): the frozen rules, the electorate, turnout as a share of it, the ballots the
    quorum needed. v1 events are upcast by `_conclusion_v1_to_v2`."""

    proposal_id = id_field()
    process_id = id_field()
    title = fields.Str(required=True)
    outcome = fields.Str(required=True, validate=validate.OneOf(OUTCOMES))
    tally = fields.Nested(Tally, required=True)
    ballots = fields.Int(required=True, strict=True)
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))
    theme = fields.Str(required=True)
    author_id = id_field()
    rules = fields.Nested(VoteRules, required=True)
    electorate = _known(fields.Int, strict=True, validate=validate.Range(min=0))  # see rules.electorate
    turnout = _known(fields.Float, validate=validate.Range(min=0))  # ballots / electorate
    quorum_needed = _known(fields.Int, strict=True, validate=validate.Range(min=0))  # ballots; null: unreachable
    quorum_met = _known(fields.Bool)
    tie = _known(fields.Bool)  # whether the count was a tie (rules.tie says what a tie means)
    majority = _known(fields.Str, validate=validate.OneOf(("simple", "absolute", "qualified")))  # = rules.majority
    # The most endorsed visible arguments on each side at close (public comments, no authors).
    arguments = fields.Dict(keys=fields.Str(validate=validate.OneOf(("for", "against"))),
                            values=fields.List(fields.Str(validate=validate.Length(max=4000)),
                                               validate=validate.Length(max=5)),
                            load_default=None, allow_none=True)


class VotingScheduled(Schema):
    proposal_id = id_field()
    opens_at = fields.Str(load_default=None, allow_none=True, validate=iso_time)
    closes_at = fields.Str(load_default=None, allow_none=True, validate=iso_time)


class RegisterImported(Schema):
    """Staff imported a municipality's register of eligible residents (counts only, no names)."""

    batch = id_field()
    imported = fields.Int(required=True, strict=True)
    rejected = fields.Int(required=True, strict=True)
    removed = fields.Int(required=True, strict=True)
    eligible = fields.Int(required=True, strict=True)


class ResidentVerified(Schema):
    user_id = id_field()
    rule = fields.Str(required=True)


class VerificationAbuseSuspected(Schema):
    """Verification with one register reference failed `failures` times within `window_hours`,
    whichever accounts tried: it is refused until the window is over (for the municipality's staff)."""

    reference = fields.Str(required=True, validate=validate.Length(max=64))
    failures = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    window_hours = fields.Int(required=True, strict=True, validate=validate.Range(min=1))


ALIGNMENTS = ("for", "against", "neutral")


class CommentPosted(Schema):
    comment_id = id_field()
    proposal_id = id_field()
    parent_id = fields.Str(load_default=None, allow_none=True)
    alignment = fields.Str(required=True, validate=validate.OneOf(ALIGNMENTS))
    author_id = id_field()


class CommentHidden(Schema):
    comment_id = id_field()
    proposal_id = id_field()
    reason = fields.Str(required=True)
    author_id = id_field()


class CommentReported(Schema):
    comment_id = id_field()
    proposal_id = id_field()
    reason = fields.Str(required=True)


class CommentReportsDismissed(Schema):
    """Staff read a reported comment's reports and kept it: the reports stop waiting (they stay recorded)."""
    comment_id = id_field()
    proposal_id = id_field()
    reports = fields.Int(required=True, strict=True)


class ApprovalOpened(Schema):
    approval_id = id_field()
    process_id = id_field()
    title = fields.Str(required=True)
    options = fields.List(fields.Str(), required=True)
    max_selections = fields.Int(required=True, strict=True)


class ApprovalCast(Schema):
    """Retired (issue 8), like vote_cast: no longer published; kept so old messages still parse."""

    approval_id = id_field()
    selections = fields.List(fields.Str(), required=True)
    replaced = fields.List(fields.Str(), load_default=None, allow_none=True)


class ApprovalClosed(Schema):
    approval_id = id_field()
    process_id = id_field()
    title = fields.Str(required=True)
    tally = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)
    ranking = fields.List(fields.Str(), required=True)
    ballots = fields.Int(required=True, strict=True)
    electorate = fields.Int(load_default=None, allow_none=True)
    turnout = fields.Float(load_default=None, allow_none=True)
    quorum_met = fields.Bool(required=True)


# event_type -> (current schema_version, payload schema)
TYPES: dict[str, tuple[int, type[Schema]]] = {
    "voting.voting_opened": (1, VotingOpened),
    "voting.vote_cast": (1, VoteCast),  # retired: read only, never published (issue 8)
    "voting.voting_closed": (1, VotingClosed),
    "voting.participants_listed": (1, ParticipantsListed),
    "voting.proposal_endorsed": (1, ProposalEndorsed),
    "voting.endorsement_withdrawn": (1, ProposalEndorsed),
    "voting.conclusion_reached": (2, ConclusionReached),
    "voting.voting_scheduled": (1, VotingScheduled),
    "voting.register_imported": (1, RegisterImported),
    "voting.resident_verified": (1, ResidentVerified),
    "voting.verification_abuse_suspected": (1, VerificationAbuseSuspected),
    "voting.comment_posted": (1, CommentPosted),
    "voting.comment_hidden": (1, CommentHidden),
    "voting.comment_reported": (1, CommentReported),
    "voting.comment_reports_dismissed": (1, CommentReportsDismissed),
    "voting.approval_opened": (1, ApprovalOpened),
    "voting.approval_cast": (1, ApprovalCast),  # retired: read only, never published (issue 8)
    "voting.approval_closed": (1, ApprovalClosed),
}


# (event_type, old_version) -> function(payload) -> payload of old_version + 1.
# Old payloads are upcast when read, never rewritten on the topic.
def _conclusion_v1_to_v2(payload: dict) -> dict:
    """v1 did not carry the rules: what it said is kept, what it did not say is null (never a
    default that may not have applied). v1's electorate was the register counted at the close."""
    said = {key: payload.get(key) for key in ("electorate", "turnout", "quorum_met", "tie", "majority")}
    rules = {"majority": said["majority"], "qualified_fraction": None, "tie": None, "quorum_ballots": None,
             "quorum_percent": None, "electorate": "register_at_close" if said["electorate"] is not None else None}
    return {**payload, **said, "rules": rules, "quorum_needed": None}


UPCASTERS: dict[tuple[str, int], Callable[[dict], dict]] = {("voting.conclusion_reached", 1): _conclusion_v1_to_v2}
