"""The event envelope and the one catalogue of every event on the platform.

Producers build events only through `make_event`; consumers read them only
through `parse_event`. Both validate the payload against the catalogue's schema.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from marshmallow import Schema, ValidationError, fields, validate

COMPETENCES = ("municipal", "national", "shared")
CHOICES = ("yes", "no", "abstain")
OUTCOMES = ("adopted", "rejected", "no_quorum")
ROLES = ("resident", "staff", "institution", "operator", "system")


class UnreadableEvent(Exception):
    """The message is not a valid event of a known type and version."""


def _uuid(value: str) -> bool:
    try:
        canonical = str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise ValidationError("Not a valid UUID.") from exc
    if canonical != value:  # one spelling per id, or deduplication could be fooled
        raise ValidationError("UUIDs are written in lower-case 8-4-4-4-12 form.")
    return True


def _iso(value: str) -> bool:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError("Not an ISO-8601 timestamp.") from exc
    if parsed.tzinfo is None:
        raise ValidationError("Timestamp must carry a UTC offset.")
    return True


class ActorSchema(Schema):
    role = fields.Str(required=True, validate=validate.OneOf(ROLES))
    id = fields.Str(load_default=None, allow_none=True)


class EnvelopeSchema(Schema):
    event_id = fields.Str(required=True, validate=_uuid)
    event_type = fields.Str(required=True, validate=validate.Regexp(r"^[a-z]+\.[a-z_]+$"))
    schema_version = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.Str(required=True, validate=_iso)
    municipality = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    aggregate_id = fields.Str(required=True, validate=validate.Length(min=1, max=128))
    correlation_id = fields.Str(required=True)
    causation_id = fields.Str(load_default=None, allow_none=True)
    actor = fields.Nested(ActorSchema, required=True)
    payload = fields.Dict(required=True)


# --- payload schemas -------------------------------------------------------

def _id():
    return fields.Str(required=True, validate=validate.Length(min=1, max=128))


class Tally(Schema):
    yes = fields.Int(required=True, strict=True, validate=validate.Range(min=0))
    no = fields.Int(required=True, strict=True, validate=validate.Range(min=0))
    abstain = fields.Int(required=True, strict=True, validate=validate.Range(min=0))


class AccountRegistered(Schema):
    user_id = _id()
    email = fields.Email(required=True)
    language = fields.Str(required=True)
    role = fields.Str(required=True, validate=validate.OneOf(ROLES))


class MunicipalitySaved(Schema):
    code = fields.Str(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]{1,39}$"))
    name = fields.Str(required=True, validate=validate.Length(min=1, max=100))
    languages = fields.List(fields.Str(), required=True, validate=validate.Length(min=1))
    default_language = fields.Str(required=True)
    timezone = fields.Str(required=True)


class ProposalSubmitted(Schema):
    proposal_id = _id()
    process_id = _id()
    title = fields.Str(required=True)
    summary = fields.Str(required=True)
    theme = fields.Str(required=True)
    language = fields.Str(required=True)
    author_id = _id()


class ProposalPublished(Schema):
    proposal_id = _id()
    process_id = _id()
    title = fields.Str(required=True)
    theme = fields.Str(required=True)
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))
    author_id = _id()


class ProposalRejected(Schema):
    proposal_id = _id()
    title = fields.Str(required=True)
    reason = fields.Str(required=True)
    author_id = _id()


class VotingOpened(Schema):
    proposal_id = _id()


class VoteCast(Schema):
    """Retired (issue 8): no longer published. A choice on the shared bus, at the moment of its ballot
    and in its order, could be joined by time with whatever names the voter. The running count is kept
    in the ballot's own transaction (voting/counting.py); the schema stays so old messages still parse."""

    proposal_id = _id()
    choice = fields.Str(required=True, validate=validate.OneOf(CHOICES))
    replaced = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(CHOICES))


class VotingClosed(Schema):
    proposal_id = _id()
    ballots = fields.Int(required=True, strict=True)


PARTICIPANTS_PER_EVENT = 1000  # ~40 kB of ids: far below a message's size limit


class ParticipantsListed(Schema):
    """Who voted (account ids, sorted, never a choice), published once, at the close, in parts of at
    most PARTICIPANTS_PER_EVENT: notifications subscribes them to the proposal (reason "voted")."""

    proposal_id = _id()
    participants = fields.List(_id(), required=True, validate=validate.Length(max=PARTICIPANTS_PER_EVENT))
    part = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    parts = fields.Int(required=True, strict=True, validate=validate.Range(min=1))


class ProposalEndorsed(Schema):
    """A verified resident supports a published proposal (before its vote; a public endorsement,
    never a ballot). No supporter: the count after the change."""

    proposal_id = _id()
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

    proposal_id = _id()
    process_id = _id()
    title = fields.Str(required=True)
    outcome = fields.Str(required=True, validate=validate.OneOf(OUTCOMES))
    tally = fields.Nested(Tally, required=True)
    ballots = fields.Int(required=True, strict=True)
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))
    theme = fields.Str(required=True)
    author_id = _id()
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
    proposal_id = _id()
    opens_at = fields.Str(load_default=None, allow_none=True, validate=_iso)
    closes_at = fields.Str(load_default=None, allow_none=True, validate=_iso)


class RegisterImported(Schema):
    """Staff imported a municipality's register of eligible residents (counts only, no names)."""

    batch = _id()
    imported = fields.Int(required=True, strict=True)
    rejected = fields.Int(required=True, strict=True)
    removed = fields.Int(required=True, strict=True)
    eligible = fields.Int(required=True, strict=True)


class ResidentVerified(Schema):
    user_id = _id()
    rule = fields.Str(required=True)


class VerificationAbuseSuspected(Schema):
    """Verification with one register reference failed `failures` times within `window_hours`,
    whichever accounts tried: it is refused until the window is over (for the municipality's staff)."""

    reference = fields.Str(required=True, validate=validate.Length(max=64))
    failures = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    window_hours = fields.Int(required=True, strict=True, validate=validate.Range(min=1))


ALIGNMENTS = ("for", "against", "neutral")


class CommentPosted(Schema):
    comment_id = _id()
    proposal_id = _id()
    parent_id = fields.Str(load_default=None, allow_none=True)
    alignment = fields.Str(required=True, validate=validate.OneOf(ALIGNMENTS))
    author_id = _id()


class CommentHidden(Schema):
    comment_id = _id()
    proposal_id = _id()
    reason = fields.Str(required=True)
    author_id = _id()


class CommentReported(Schema):
    comment_id = _id()
    proposal_id = _id()
    reason = fields.Str(required=True)


class ApprovalOpened(Schema):
    approval_id = _id()
    process_id = _id()
    title = fields.Str(required=True)
    options = fields.List(fields.Str(), required=True)
    max_selections = fields.Int(required=True, strict=True)


class ApprovalCast(Schema):
    """Retired (issue 8), like vote_cast: no longer published; kept so old messages still parse."""

    approval_id = _id()
    selections = fields.List(fields.Str(), required=True)
    replaced = fields.List(fields.Str(), load_default=None, allow_none=True)


class ApprovalClosed(Schema):
    approval_id = _id()
    process_id = _id()
    title = fields.Str(required=True)
    tally = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)
    ranking = fields.List(fields.Str(), required=True)
    ballots = fields.Int(required=True, strict=True)
    electorate = fields.Int(load_default=None, allow_none=True)
    turnout = fields.Float(load_default=None, allow_none=True)
    quorum_met = fields.Bool(required=True)


class DossierPrepared(Schema):
    dossier_id = _id()
    proposal_id = _id()
    institution_id = _id()
    digest = fields.Str(required=True, validate=validate.Length(equal=64))


class DossierDispatched(Schema):
    dossier_id = _id()
    proposal_id = _id()
    institution_id = _id()
    attempt = fields.Int(required=True, strict=True)


class DispatchFailed(Schema):
    dossier_id = _id()
    proposal_id = _id()
    attempt = fields.Int(required=True, strict=True)
    error = fields.Str(required=True)
    retry_at = fields.Str(required=True, validate=_iso)


class DispatchAbandoned(Schema):
    dossier_id = _id()
    proposal_id = _id()
    attempts = fields.Int(required=True, strict=True)
    error = fields.Str(required=True)


class DossierAcknowledged(Schema):
    dossier_id = _id()
    proposal_id = _id()
    institution_id = _id()
    receipt = fields.Str(required=True)


REPLY_STATUSES = ("accepted", "partly", "rejected", "forwarded")


class ReviewRequested(Schema):
    """Routing proposed institutions; staff review (and may override) before dispatch."""

    proposal_id = _id()
    institution_ids = fields.List(fields.Str(), required=True)


class InstitutionReplied(Schema):
    dossier_id = _id()
    proposal_id = _id()
    institution_id = _id()
    status = fields.Str(required=True, validate=validate.OneOf(REPLY_STATUSES))
    text = fields.Str(required=True)
    via = fields.Str(required=True, validate=validate.OneOf(("link", "account", "api_key", "post")))
    forwarded_to = fields.Str(load_default=None, allow_none=True)


class ReplyReminderSent(Schema):
    dossier_id = _id()
    proposal_id = _id()
    institution_id = _id()
    kind = fields.Str(required=True, validate=validate.OneOf(("before", "due_day")))
    due_at = fields.Str(required=True, validate=_iso)
    recipients = fields.List(fields.Email(), required=True)


class ReplyOverdue(Schema):
    dossier_id = _id()
    proposal_id = _id()
    institution_id = _id()
    due_at = fields.Str(required=True, validate=_iso)


class ReplyEscalated(Schema):
    dossier_id = _id()
    proposal_id = _id()
    institution_id = _id()
    escalated_to = fields.Str(required=True)
    due_at = fields.Str(required=True, validate=_iso)
    recipients = fields.List(fields.Email(), required=True)


class CircuitOpened(Schema):
    institution_id = _id()
    failures = fields.Int(required=True, strict=True)
    open_until = fields.Str(required=True, validate=_iso)


class RoutingNeeded(Schema):
    """An adopted conclusion no institution in the directory covers: it waits in the staff's review
    queue (forwarding) until staff choose the institutions; notifications alert the staff."""

    proposal_id = _id()
    title = fields.Str(required=True)
    theme = fields.Str(required=True)
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))


class MunicipalActionCreated(Schema):
    """Shared competence: the municipality also acts on the conclusion itself."""

    proposal_id = _id()
    title = fields.Str(required=True)
    theme = fields.Str(required=True)



# --- proposals in depth (issue 3) --------------------------------------------

class ProposalEdited(Schema):
    proposal_id = _id()
    version = fields.Int(required=True, strict=True, validate=validate.Range(min=2))
    title = fields.Str(required=True)
    summary = fields.Str(required=True)
    theme = fields.Str(required=True)
    author_id = _id()


class ProposalWithdrawn(Schema):
    proposal_id = _id()
    title = fields.Str(required=True)
    previous_status = fields.Str(required=True)
    author_id = _id()


class ChangesRequested(Schema):
    proposal_id = _id()
    title = fields.Str(required=True)
    note = fields.Str(required=True)
    author_id = _id()


class ProposalHidden(Schema):
    proposal_id = _id()
    title = fields.Str(required=True)
    reason = fields.Str(required=True)
    automatic = fields.Bool(required=True)
    author_id = _id()


class ProposalRestored(Schema):
    proposal_id = _id()
    title = fields.Str(required=True)
    author_id = _id()


class ProposalReported(Schema):
    """No reporter identity: the reason and how many reports the proposal now has."""

    proposal_id = _id()
    reason = fields.Str(required=True)
    reports = fields.Int(required=True, strict=True, validate=validate.Range(min=1))


class ProposalMarkedDuplicate(Schema):
    proposal_id = _id()
    duplicate_of = _id()
    title = fields.Str(required=True)
    author_id = _id()


class TranslationAdded(Schema):
    proposal_id = _id()
    language = fields.Str(required=True)


class WorkshopInputRecorded(Schema):
    proposal_id = _id()
    process_id = _id()
    kind = fields.Str(required=True)
    facilitator = fields.Str(required=True)
    held_on = fields.Str(required=True)
    participants = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    languages = fields.List(fields.Str(), required=True)


class Phase(Schema):
    code = fields.Str(required=True)
    starts_on = fields.Str(required=True)
    ends_on = fields.Str(required=True)


class ProcessSaved(Schema):
    process_id = _id()
    title = fields.Dict(keys=fields.Str(), values=fields.Str(), required=True)
    themes = fields.Dict(keys=fields.Str(), values=fields.Str(validate=validate.OneOf(COMPETENCES)), required=True)
    phases = fields.List(fields.Nested(Phase), required=True)


class ThemeDefined(Schema):
    code = _id()
    labels = fields.Dict(keys=fields.Str(), values=fields.Str(), required=True)
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))


class UserBlocked(Schema):
    user_id = _id()
    reason = fields.Str(required=True)


class UserUnblocked(Schema):
    user_id = _id()


class PendingSummary(Schema):
    """The moderation queue of one municipality, for its staff (sent every summary_hours)."""

    pending = fields.Int(required=True, strict=True, validate=validate.Range(min=0))
    overdue = fields.Int(required=True, strict=True, validate=validate.Range(min=0))
    reported = fields.Int(required=True, strict=True, validate=validate.Range(min=0))


class ModerationSettingsChanged(Schema):
    auto_hide_reports = fields.Int(required=True, strict=True)
    target_hours = fields.Float(required=True)
    require_justification = fields.Bool(required=True)
    summary_hours = fields.Float(required=True)


# event_type -> (current schema_version, payload schema)
CATALOGUE: dict[str, tuple[int, type[Schema]]] = {
    "accounts.account_registered": (1, AccountRegistered),
    "accounts.municipality_created": (1, MunicipalitySaved),
    "accounts.municipality_updated": (1, MunicipalitySaved),
    "proposals.proposal_submitted": (1, ProposalSubmitted),
    "proposals.proposal_published": (1, ProposalPublished),
    "proposals.proposal_rejected": (1, ProposalRejected),
    "proposals.proposal_edited": (1, ProposalEdited),
    "proposals.proposal_withdrawn": (1, ProposalWithdrawn),
    "proposals.changes_requested": (1, ChangesRequested),
    "proposals.proposal_hidden": (1, ProposalHidden),
    "proposals.proposal_restored": (1, ProposalRestored),
    "proposals.proposal_reported": (1, ProposalReported),
    "proposals.proposal_marked_duplicate": (1, ProposalMarkedDuplicate),
    "proposals.translation_added": (1, TranslationAdded),
    "proposals.workshop_input_recorded": (1, WorkshopInputRecorded),
    "proposals.process_created": (1, ProcessSaved),
    "proposals.process_updated": (1, ProcessSaved),
    "proposals.theme_defined": (1, ThemeDefined),
    "proposals.user_blocked": (1, UserBlocked),
    "proposals.user_unblocked": (1, UserUnblocked),
    "proposals.moderation_settings_changed": (1, ModerationSettingsChanged),
    "proposals.pending_summary": (1, PendingSummary),
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
    "voting.approval_opened": (1, ApprovalOpened),
    "voting.approval_cast": (1, ApprovalCast),  # retired: read only, never published (issue 8)
    "voting.approval_closed": (1, ApprovalClosed),
    "forwarding.dossier_prepared": (1, DossierPrepared),
    "forwarding.dossier_dispatched": (1, DossierDispatched),
    "forwarding.dispatch_failed": (1, DispatchFailed),
    "forwarding.dispatch_abandoned": (1, DispatchAbandoned),
    "forwarding.dossier_acknowledged": (1, DossierAcknowledged),
    "forwarding.review_requested": (1, ReviewRequested),
    "forwarding.institution_replied": (1, InstitutionReplied),
    "forwarding.reply_reminder_sent": (1, ReplyReminderSent),
    "forwarding.reply_overdue": (1, ReplyOverdue),
    "forwarding.reply_escalated": (1, ReplyEscalated),
    "forwarding.circuit_opened": (1, CircuitOpened),
    "forwarding.municipal_action_created": (1, MunicipalActionCreated),
    "forwarding.routing_needed": (1, RoutingNeeded),
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


UPCASTERS: dict[tuple[str, int], callable] = {("voting.conclusion_reached", 1): _conclusion_v1_to_v2}


@dataclass(frozen=True)
class Actor:
    role: str
    id: str | None = None

    def as_dict(self) -> dict:
        return {"role": self.role, "id": self.id}


SYSTEM = Actor("system", None)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def make_event(event_type: str, *, municipality: str, aggregate_id: str, actor: Actor,
               payload: dict, correlation_id: str | None = None,
               causation_id: str | None = None) -> dict:
    """Build a validated envelope for an event of the catalogue."""
    if event_type not in CATALOGUE:
        raise KeyError(f"unknown event type {event_type!r}: add it to services.events.CATALOGUE")
    version, schema = CATALOGUE[event_type]
    errors = schema().validate(payload)
    if errors:
        raise ValueError(f"invalid {event_type} payload: {errors}")
    event_id = str(uuid.uuid4())
    return {
        "event_id": event_id,
        "event_type": event_type,
        "schema_version": version,
        "occurred_at": now_iso(),
        "municipality": municipality,
        "aggregate_id": aggregate_id,
        "correlation_id": correlation_id or event_id,
        "causation_id": causation_id,
        "actor": actor.as_dict(),
        "payload": schema().dump(schema().load(payload)),
    }


def follow_up(cause: dict, event_type: str, *, aggregate_id: str, payload: dict,
              actor: Actor = SYSTEM) -> dict:
    """An event caused by another: same municipality and correlation, causation = cause."""
    return make_event(event_type, municipality=cause["municipality"], aggregate_id=aggregate_id,
                      actor=actor, payload=payload, correlation_id=cause["correlation_id"],
                      causation_id=cause["event_id"])


def encode(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def parse_event(raw: bytes) -> dict:
    """Decode, validate and upcast a message; raise UnreadableEvent with the reason."""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError, RecursionError) as exc:
        raise UnreadableEvent(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise UnreadableEvent("not a JSON object")
    try:
        envelope = EnvelopeSchema().load(data)
    except ValidationError as exc:
        raise UnreadableEvent(f"invalid envelope: {exc.messages}") from exc
    kind = envelope["event_type"]
    if kind not in CATALOGUE:
        raise UnreadableEvent(f"unknown event type {kind!r}")
    current, schema = CATALOGUE[kind]
    version, payload = envelope["schema_version"], envelope["payload"]
    if version > current:
        raise UnreadableEvent(f"{kind} schema_version {version} is newer than {current}")
    while version < current:
        upcast = UPCASTERS.get((kind, version))
        if upcast is None:
            raise UnreadableEvent(f"no upcaster for {kind} v{version}")
        payload, version = upcast(payload), version + 1
    try:
        envelope["payload"] = schema().load(payload)
    except ValidationError as exc:
        raise UnreadableEvent(f"invalid {kind} payload: {exc.messages}") from exc
    envelope["schema_version"] = version
    return envelope
