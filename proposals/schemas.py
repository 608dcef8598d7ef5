"""Request and response schemas of the proposals API (the gateway reuses them)."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from proposals.domain import AUTHOR_KINDS, COMPETENCES, PHASES, REASONS, STATUSES
from services.fields import Integer

LANGUAGES = ("sl", "en", "sq", "bs", "hr", "sr", "uk", "ru", "ar", "fa")
SORTS = ("newest", "oldest", "most_supported", "most_discussed")
CODE = validate.Regexp(r"^[a-z][a-z0-9_-]{1,63}$", error="Use 2-64 lower-case letters, digits, - or _.")
Title = lambda **kw: fields.Str(validate=validate.Length(min=5, max=200), **kw)
Summary = lambda **kw: fields.Str(validate=validate.Length(min=10, max=1000), **kw)
Body = lambda **kw: fields.Str(validate=validate.Length(max=20000), **kw)
Tags = lambda **kw: fields.List(fields.Str(validate=validate.Length(min=1, max=32)),
                                validate=validate.Length(max=10), **kw)
Texts = lambda **kw: fields.Dict(keys=fields.Str(validate=validate.OneOf(LANGUAGES)),
                                 values=fields.Str(validate=validate.Length(min=1, max=2000)), **kw)


class TranslationIn(Schema):
    title = Title(required=True)
    summary = Summary(required=True)
    body = Body(load_default="")


Translations = lambda **kw: fields.Dict(keys=fields.Str(validate=validate.OneOf(LANGUAGES)),
                                        values=fields.Nested(TranslationIn), validate=validate.Length(max=10), **kw)


class ProposalIn(Schema):
    process_id = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    title = Title(required=True)
    summary = Summary(required=True)
    body = Body(load_default="")
    theme = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    language = fields.Str(load_default="sl", validate=validate.OneOf(LANGUAGES))
    translations = Translations(load_default=dict)
    tags = Tags(load_default=list)
    author_kind = fields.Str(load_default="resident", validate=validate.OneOf(("resident", "organisation")))
    organisation = fields.Str(load_default=None, allow_none=True, validate=validate.Length(min=2, max=200))

    @validates_schema
    def organisation_named(self, data, **kwargs):
        if data.get("author_kind") == "organisation" and not data.get("organisation"):
            raise ValidationError("Name the organisation.", "organisation")


class ProposalEditIn(Schema):
    title = Title()
    summary = Summary()
    body = Body()
    theme = fields.Str(validate=validate.Length(min=1, max=64))
    translations = Translations()
    tags = Tags()


class SimilarIn(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    summary = fields.Str(load_default="", validate=validate.Length(max=1000))
    body = Body(load_default="")
    process_id = fields.Str(load_default=None, validate=validate.Length(min=1, max=64))


class WorkshopIn(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(("focus_group", "world_cafe")))
    facilitator = fields.Str(required=True, validate=validate.Length(min=2, max=200))
    held_on = fields.Date(required=True)
    participants = Integer(required=True, validate=validate.Range(min=1, max=1000))
    languages = fields.List(fields.Str(validate=validate.OneOf(LANGUAGES)), required=True,
                            validate=validate.Length(min=1, max=10))
    notes = fields.Str(load_default="", validate=validate.Length(max=5000))


class WorkshopInputIn(ProposalIn):
    author_kind = fields.Constant("workshop")
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))
    justification = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    workshop = fields.Nested(WorkshopIn, required=True)


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


class SimilarOut(Schema):
    id = fields.Str()
    title = fields.Str()
    status = fields.Str()
    score = fields.Float()


class ProposalOut(Schema):
    id = fields.Str()
    municipality = fields.Str()
    process_id = fields.Str()
    phase = fields.Str(allow_none=True)
    title = fields.Str()
    summary = fields.Str()
    body = fields.Str()
    body_html = fields.Str()
    theme = fields.Str()
    default_competence = fields.Str(allow_none=True)
    language = fields.Str()
    translations = fields.Dict()
    tags = fields.List(fields.Str())
    author_id = fields.Str()
    author_kind = fields.Str()
    organisation = fields.Str(allow_none=True)
    workshop = fields.Dict(allow_none=True)
    status = fields.Str()
    version = Integer()
    competence = fields.Str(allow_none=True)
    competence_justification = fields.Str(allow_none=True)
    rejection_reason = fields.Str(allow_none=True)
    reason_code = fields.Str(allow_none=True)
    moderator_note = fields.Str(allow_none=True)
    hidden_reason = fields.Str(allow_none=True)
    duplicate_of = fields.Str(allow_none=True)
    duplicates = fields.List(fields.Str())
    reports = Integer()
    verified_reports = Integer(metadata={"description": "Reports by verified residents (these may hide it)"})
    supports = Integer()
    comments = Integer()
    overdue = fields.Bool()
    created_at = fields.DateTime()
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    similar = fields.List(fields.Nested(SimilarOut))


class VersionOut(Schema):
    version = Integer()
    title = fields.Str()
    summary = fields.Str()
    body = fields.Str()
    theme = fields.Str()
    tags = fields.List(fields.Str())
    translations = fields.Dict()
    editor_id = fields.Str()
    at = fields.DateTime()


class ListArgs(Schema):
    q = fields.Str(validate=validate.Length(min=1, max=200))
    status = fields.Str(validate=validate.OneOf(STATUSES))
    process_id = fields.Str(validate=validate.Length(min=1, max=64))
    phase = fields.Str(validate=validate.OneOf(PHASES))
    theme = fields.Str(validate=validate.Length(min=1, max=64))
    competence = fields.Str(validate=validate.OneOf(COMPETENCES))
    author_kind = fields.Str(validate=validate.OneOf(AUTHOR_KINDS))
    tag = fields.Str(validate=validate.Length(min=1, max=32))
    mine = fields.Bool(load_default=False)
    sort = fields.Str(load_default="newest", validate=validate.OneOf(SORTS))
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class QueueArgs(Schema):
    status = fields.Str(load_default="pending", validate=validate.OneOf(STATUSES))
    theme = fields.Str(validate=validate.Length(min=1, max=64))
    process_id = fields.Str(validate=validate.Length(min=1, max=64))
    older_than_hours = fields.Float(validate=validate.Range(min=0, max=24 * 365 * 50))  # now - 50 years: valid
    reported = fields.Bool()
    overdue = fields.Bool()
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ProposalPage(Schema):
    items = fields.List(fields.Nested(ProposalOut))
    page = Integer()
    per_page = Integer()
    total = Integer()


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


class PhaseIn(Schema):
    code = fields.Str(required=True, validate=validate.OneOf(PHASES))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class ProcessIn(Schema):
    id = fields.Str(required=True, validate=CODE)
    title = Texts(required=True, validate=validate.Length(min=1, max=10))
    description = Texts(load_default=dict)
    phases = fields.List(fields.Nested(PhaseIn), load_default=list, validate=validate.Length(max=12))
    themes = fields.List(fields.Str(validate=validate.Length(min=1, max=64)), required=True,
                         validate=validate.Length(min=1, max=30))


class ProcessEditIn(Schema):
    title = Texts(validate=validate.Length(min=1, max=10))
    description = Texts()
    phases = fields.List(fields.Nested(PhaseIn), validate=validate.Length(max=12))
    themes = fields.List(fields.Str(validate=validate.Length(min=1, max=64)), validate=validate.Length(min=1, max=30))


class ProcessOut(Schema):
    id = fields.Str()
    municipality = fields.Str()
    title = fields.Dict()
    description = fields.Dict()
    phases = fields.List(fields.Dict())
    current_phase = fields.Str(allow_none=True)
    themes = fields.Dict()


class ThemeIn(Schema):
    code = fields.Str(required=True, validate=CODE)
    labels = Texts(required=True, validate=validate.Length(min=1, max=10))
    competence = fields.Str(required=True, validate=validate.OneOf(COMPETENCES))


class ThemeOut(Schema):
    code = fields.Str()
    labels = fields.Dict()
    competence = fields.Str()
    national = fields.Bool()
