"""Events of the forwarding service: dossiers, dispatch, replies, reminders, routing."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.events.vocabulary import COMPETENCES, id_field, iso_time

class DossierPrepared(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    institution_id = id_field()
    digest = fields.Str(required=True, validate=validate.Length(equal=64))


class DossierDispatched(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    institution_id = id_field()
    attempt = fields.Int(required=True, strict=True)


class DispatchFailed(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    attempt = fields.Int(required=True, strict=True)
    error = fields.Str(required=True)
    retry_at = fields.Str(required=True, validate=iso_time)


class DispatchAbandoned(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    attempts = fields.Int(required=True, strict=True)
    error = fields.Str(required=True)


class DossierAcknowledged(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    institution_id = id_field()
    receipt = fields.Str(required=True)


REPLY_STATUSES = ("accepted", "partly", "rejected", "forwarded")


class ReviewRequested(Schema):
    """Routing proposed institutions; staff review (and may override) before dispatch."""

    proposal_id = id_field()
    institution_ids = fields.List(fields.Str(), required=True)


class InstitutionReplied(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    institution_id = id_field()
    status = fields.Str(required=True, validate=validate.OneOf(REPLY_STATUSES))
    text = fields.Str(required=True)
    via = fields.Str(required=True, validate=validate.OneOf(("link", "account", "api_key", "post")))
    forwarded_to = fields.Str(load_default=None, allow_none=True)
    summary = fields.Str(load_default=None, allow_none=True)


class ReplyTranslation(Schema):
    text = fields.Str(required=True)
    summary = fields.Str(load_default=None, allow_none=True)
    kind = fields.Str(required=True, validate=validate.OneOf(("human", "machine")))


class ReplyTranslated(Schema):
    """Translations of an institution's reply (the machine's round, or staff's one language); who
    translated is not told."""

    dossier_id = id_field()
    proposal_id = id_field()
    translations = fields.Dict(keys=fields.Str(validate=validate.Length(min=2, max=8)),
                               values=fields.Nested(ReplyTranslation), required=True)
    machine_round = fields.Bool(load_default=False)  # the machine's first round is over (mails may go)


class ReplyReminderSent(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    institution_id = id_field()
    kind = fields.Str(required=True, validate=validate.OneOf(("before", "due_day")))
    due_at = fields.Str(required=True, validate=iso_time)
    recipients = fields.List(fields.Email(), required=True)


class ReplyOverdue(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    institution_id = id_field()
    due_at = fields.Str(required=True, validate=iso_time)


class ReplyEscalated(Schema):
    dossier_id = id_field()
    proposal_id = id_field()
    institution_id = id_field()
    escalated_to = fields.Str(required=True)
    due_at = fields.Str(required=True, validate=iso_time)
    recipients = fields.List(fields.Email(), required=True)


class CircuitOpened(Schema):
    institution_id = id_field()
    failures = fields.Int(required=True, strict=True)
    open_until = fields.Str(required=True, validate=iso_time)


class RoutingNeeded(Schema):
    """An adopted conclusion no institution in the directory covers: it waits in the staff's review
    queue (forwarding) until staff choose the institutions; notifications alert the staff."""

    proposal_id = id_field()
    title = fields.Str(required=True)
    theme = fields.Str(required=True)
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))


class MunicipalActionCreated(Schema):
    """Shared competence: the municipality also acts on the conclusion itself."""

    proposal_id = id_field()
    title = fields.Str(required=True)
    theme = fields.Str(required=True)


# event_type -> (current schema_version, payload schema)
TYPES: dict[str, tuple[int, type[Schema]]] = {
    "forwarding.dossier_prepared": (1, DossierPrepared),
    "forwarding.dossier_dispatched": (1, DossierDispatched),
    "forwarding.dispatch_failed": (1, DispatchFailed),
    "forwarding.dispatch_abandoned": (1, DispatchAbandoned),
    "forwarding.dossier_acknowledged": (1, DossierAcknowledged),
    "forwarding.review_requested": (1, ReviewRequested),
    "forwarding.institution_replied": (1, InstitutionReplied),
    "forwarding.reply_translated": (1, ReplyTranslated),
    "forwarding.reply_reminder_sent": (1, ReplyReminderSent),
    "forwarding.reply_overdue": (1, ReplyOverdue),
    "forwarding.reply_escalated": (1, ReplyEscalated),
    "forwarding.circuit_opened": (1, CircuitOpened),
    "forwarding.municipal_action_created": (1, MunicipalActionCreated),
    "forwarding.routing_needed": (1, RoutingNeeded),
}
