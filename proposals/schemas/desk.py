"""Schemas of the moderation desk: decisions, bulk, reports, blocks, settings, queue, audit."""
from __future__ import annotations

from datetime import timezone

from marshmallow import Schema, fields, validate

from proposals.domain import COMPETENCES, REASONS, STATUSES
from proposals.schemas.proposals import ProposalOut, ProposalPage
from services.fields import Integer


class ModerationIn(Schema):
    decision = fields.Str(required=True, validate=validate.OneOf(
        ("approve", "reject", "request_changes", "hide", "restore")))
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    reason_code = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(REASONS))
    competence = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(COMPETENCES))
    justification = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    note = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class BulkIn(Schema):
    action = fields.Str(required=True, validate=validate.OneOf(("approve", "reject", "hide")))
    ids = fields.List(fields.Str(validate=validate.Length(min=1, max=64)), required=True,
                      validate=validate.Length(min=1, max=100))
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    reason_code = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(REASONS))


class BulkResult(Schema):
    id = fields.Str()
    ok = fields.Bool()
    status = fields.Str(allow_none=True)
    code = fields.Str(allow_none=True)
    detail = fields.Str(allow_none=True)


class BulkOut(Schema):
    results = fields.List(fields.Nested(BulkResult))
    succeeded = Integer()
    failed = Integer()


class ReportIn(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=1000))


class ReportOut(Schema):
    proposal_id = fields.Str()
    reports = Integer()
    status = fields.Str()


class DuplicateIn(Schema):
    of = fields.Str(required=True, validate=validate.Length(min=1, max=64))


class BlockIn(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=3, max=1000))


class BlockOut(Schema):
    user_id = fields.Str()
    blocked = fields.Bool()
    reason = fields.Str(allow_none=True)
    at = fields.DateTime(allow_none=True)


class SettingsIn(Schema):
    auto_hide_reports = Integer(validate=validate.Range(min=1, max=1000))
    target_hours = fields.Float(validate=validate.Range(min=0, max=24 * 365))
    require_justification = fields.Bool()
    summary_hours = fields.Float(validate=validate.Range(min=0, max=24 * 31))


class SettingsOut(Schema):
    municipality = fields.Str()
    auto_hide_reports = Integer()
    target_hours = fields.Float()
    require_justification = fields.Bool()
    summary_hours = fields.Float()
    summary_sent_at = fields.DateTime(allow_none=True)


class QueueArgs(Schema):
    status = fields.Str(load_default="pending", validate=validate.OneOf(STATUSES))
    theme = fields.Str(validate=validate.Length(min=1, max=64))
    process_id = fields.Str(validate=validate.Length(min=1, max=64))
    older_than_hours = fields.Float(validate=validate.Range(min=0, max=24 * 365 * 50))  # now - 50 years: valid
    reported = fields.Bool()
    overdue = fields.Bool()
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ReporterOut(Schema):
    """One report as staff see it: who, whether a verified resident then, when, why."""

    reporter_id = fields.Str()
    verified = fields.Bool()
    at = fields.DateTime()
    reason = fields.Str()


class QueueItemOut(ProposalOut):
    reporters = fields.List(fields.Nested(ReporterOut))


class QueueOut(ProposalPage):
    items = fields.List(fields.Nested(QueueItemOut))
    counts = fields.Dict(keys=fields.Str(), values=Integer())
    overdue = Integer()
    reported = Integer()
    target_hours = fields.Float()


class AuditArgs(Schema):
    subject = fields.Str(validate=validate.Length(min=1, max=64))
    action = fields.Str(validate=validate.Length(min=1, max=64))
    actor_id = fields.Str(validate=validate.Length(min=1, max=64))
    since = fields.AwareDateTime(default_timezone=timezone.utc)  # from this moment on
    until = fields.AwareDateTime(default_timezone=timezone.utc)  # before this moment
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=50, validate=validate.Range(min=1, max=500))


class AuditOut(Schema):
    id = fields.Str()
    subject = fields.Str()
    action = fields.Str()
    actor_id = fields.Str(allow_none=True)
    actor_role = fields.Str()
    from_status = fields.Str(allow_none=True)
    to_status = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    at = fields.DateTime()


class AuditPage(Schema):
    items = fields.List(fields.Nested(AuditOut))
    page = Integer()
    per_page = Integer()
    total = Integer()


class ReasonOut(Schema):
    code = fields.Str()
    text = fields.Str()
