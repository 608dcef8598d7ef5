"""Events of the proposals service: proposals, moderation, processes, themes, blocks."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.events.vocabulary import COMPETENCES, id_field

class ProposalSubmitted(Schema):
    proposal_id = id_field()
    process_id = id_field()
    title = fields.Str(required=True)
    summary = fields.Str(required=True)
    theme = fields.Str(required=True)
    language = fields.Str(required=True)
    author_id = id_field()


class ProposalPublished(Schema):
    proposal_id = id_field()
    process_id = id_field()
    title = fields.Str(required=True)
    theme = fields.Str(required=True)
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))
    author_id = id_field()


class ProposalRejected(Schema):
    proposal_id = id_field()
    title = fields.Str(required=True)
    reason = fields.Str(required=True)
    author_id = id_field()


class ProposalEdited(Schema):
    proposal_id = id_field()
    version = fields.Int(required=True, strict=True, validate=validate.Range(min=2))
    title = fields.Str(required=True)
    summary = fields.Str(required=True)
    theme = fields.Str(required=True)
    author_id = id_field()


class ProposalWithdrawn(Schema):
    proposal_id = id_field()
    title = fields.Str(required=True)
    previous_status = fields.Str(required=True)
    author_id = id_field()


class ChangesRequested(Schema):
    proposal_id = id_field()
    title = fields.Str(required=True)
    note = fields.Str(required=True)
    author_id = id_field()


class ProposalHidden(Schema):
    proposal_id = id_field()
    title = fields.Str(required=True)
    reason = fields.Str(required=True)
    automatic = fields.Bool(required=True)
    author_id = id_field()


class ProposalRestored(Schema):
    proposal_id = id_field()
    title = fields.Str(required=True)
    author_id = id_field()


class ProposalReported(Schema):
    """No reporter identity: the reason and how many reports the proposal now has."""

    proposal_id = id_field()
    reason = fields.Str(required=True)
    reports = fields.Int(required=True, strict=True, validate=validate.Range(min=1))


class ProposalMarkedDuplicate(Schema):
    proposal_id = id_field()
    duplicate_of = id_field()
    title = fields.Str(required=True)
    author_id = id_field()


class TranslationAdded(Schema):
    proposal_id = id_field()
    language = fields.Str(required=True)


class WorkshopInputRecorded(Schema):
    proposal_id = id_field()
    process_id = id_field()
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
    process_id = id_field()
    title = fields.Dict(keys=fields.Str(), values=fields.Str(), required=True)
    themes = fields.Dict(keys=fields.Str(), values=fields.Str(validate=validate.OneOf(COMPETENCES)), required=True)
    phases = fields.List(fields.Nested(Phase), required=True)


class ThemeDefined(Schema):
    code = id_field()
    labels = fields.Dict(keys=fields.Str(), values=fields.Str(), required=True)
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))


class UserBlocked(Schema):
    user_id = id_field()
    reason = fields.Str(required=True)


class UserUnblocked(Schema):
    user_id = id_field()


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
TYPES: dict[str, tuple[int, type[Schema]]] = {
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
}
