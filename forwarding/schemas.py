"""Request and response schemas of the forwarding API (the gateway reuses them)."""
from datetime import UTC

from marshmallow import Schema, fields, validate

from forwarding.domain import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, REPLY_STATUSES
from forwarding.portal_schemas import ATTACHMENT_BASE64, REPLY_BODY_BYTES, PortalListArgs, PortalListOut  # noqa: F401
from forwarding.tracker_schemas import GroupOut, TrackerArgs, TrackerOut  # noqa: F401  (published here too)
from forwarding.translation_schemas import ReplyTranslationIn, ReplyTranslationOut, StaffTranslated, SummaryIn, Translated
from services.fields import Integer

CHANNELS = ("webhook", "email", "manual")


class TimelineEntry(Schema):
    at = fields.Str()
    step = fields.Str()


class ReplyAttachmentOut(Schema):
    filename = fields.Str()
    content_type = fields.Str()
    size = Integer()
    sha256 = fields.Str()


class ReplyOut(Translated):
    status = fields.Str()
    text = fields.Str()
    summary = fields.Str(allow_none=True, metadata={"description": "A plain-language summary for residents"})
    forwarded_to = fields.Str(allow_none=True)
    via = fields.Str()
    at = fields.Str()
    attachments = fields.List(fields.Nested(ReplyAttachmentOut))


StaffReplyOut = type("StaffReplyOut", (StaffTranslated, ReplyOut), {})  # with who translated


class DossierOut(Schema):
    id = fields.Str()
    proposal_id = fields.Str()
    institution_id = fields.Str()
    channel = fields.Str()
    status = fields.Str(metadata={"description": "awaiting_review, prepared, dispatching, failed, abandoned, "
                                                "awaiting_manual, sent, acknowledged, replied or cancelled"})
    attempts = Integer()
    digest = fields.Str(allow_none=True)
    signature = fields.Str(allow_none=True, metadata={"description": "Ed25519 over the canonical document, base64"})
    key_id = fields.Str(allow_none=True)
    receipt = fields.Str(allow_none=True)
    last_error = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    dispatched_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    replied_at = fields.DateTime(allow_none=True)
    reply = fields.Nested(ReplyOut, allow_none=True)
    timeline = fields.List(fields.Dict())
    document = fields.Dict(allow_none=True)
    group = fields.Nested(GroupOut, allow_none=True, metadata={
        "description": "The portal only: similar conclusions of other municipalities (null: none)"})


class ForwardingOut(Schema):
    proposal_id = fields.Str()
    routing = fields.Str(allow_none=True, metadata={
        "description": "routed; needs_routing: no institution covers the theme, staff choose at review; "
                       "null: nothing forwarded"})
    dossiers = fields.List(fields.Nested(DossierOut))


class RoutingQueueItem(Schema):
    proposal_id = fields.Str(attribute="id")
    title = fields.Function(lambda c: c.data.get("title"))
    theme = fields.Function(lambda c: c.data.get("theme"))
    competence = fields.Function(lambda c: c.data.get("competence"))
    outcome = fields.Function(lambda c: c.data.get("outcome"))
    tally = fields.Function(lambda c: c.data.get("tally"), metadata={"description": "yes, no, abstain -> count"})
    reached_at = fields.DateTime()
    routing = fields.Str(allow_none=True)
    proposed = fields.List(fields.Str(), metadata={
        "description": "The institutions the routing proposes (their dossiers wait for review); empty when "
                       "no institution covers the theme"})


class RoutingQueueOut(Schema):
    conclusions = fields.List(fields.Nested(RoutingQueueItem))


class InstitutionContact(Schema):
    name = fields.Str(required=True)
    email = fields.Email(load_default=None, allow_none=True)
    phone = fields.Str(load_default=None, allow_none=True)


class InstitutionIn(Schema):
    id = fields.Str(required=True, validate=validate.Regexp(r"^[a-z0-9_-]{2,40}$"))
    name = fields.Dict(keys=fields.Str(), values=fields.Str(), required=True)
    acronym = fields.Dict(keys=fields.Str(), values=fields.Str())
    themes = fields.List(fields.Str(validate=validate.Length(min=1, max=64)))
    channel = fields.Str(validate=validate.OneOf(CHANNELS))
    webhook_url = fields.Url(require_tld=False, allow_none=True)
    secret = fields.Str(allow_none=True, validate=validate.Length(min=8), load_only=True)
    email = fields.Email(allow_none=True)
    postal_address = fields.Str(allow_none=True)
    deadline_days = Integer(validate=validate.Range(min=1, max=365))
    contacts = fields.List(fields.Nested(InstitutionContact))
    escalation_to = fields.Str(allow_none=True)
    account_ids = fields.List(fields.Str())
    breaker_threshold = Integer(allow_none=True, validate=validate.Range(min=1, max=100))
    breaker_cooldown_seconds = fields.Float(allow_none=True, validate=validate.Range(min=0.1, max=86400))


class InstitutionPatch(InstitutionIn):
    class Meta:
        exclude = ("id",)


class InstitutionOut(Schema):
    id = fields.Str()
    name = fields.Dict()
    acronym = fields.Dict()
    themes = fields.List(fields.Str())
    channel = fields.Str()
    webhook_url = fields.Str(allow_none=True)
    email = fields.Str(allow_none=True)
    postal_address = fields.Str(allow_none=True)
    deadline_days = Integer()
    contacts = fields.List(fields.Dict())
    escalation_to = fields.Str(allow_none=True)
    has_api_key = fields.Function(lambda i: bool(getattr(i, "api_key_hash", None)))


class ApiKeyOut(Schema):
    institution_id = fields.Str()
    api_key = fields.Str()


class BreakerOut(Schema):
    institution_id = fields.Str()
    failures = Integer()
    open = fields.Bool()
    open_until = fields.DateTime(allow_none=True)
    half_open = fields.Bool(metadata={"description": "The cooldown is over: the next attempt is the trial"})
    threshold = Integer(metadata={"description": "Consecutive failures that open the circuit"})


class ReviewIn(Schema):
    institutions = fields.List(fields.Str(), required=True, validate=validate.Length(min=1, max=20))
    note = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    justification = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class MarkSentIn(Schema):
    note = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class AttachmentIn(Schema):
    filename = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    content_type = fields.Str(load_default="application/octet-stream")
    content_base64 = fields.Str(required=True, validate=validate.Length(max=ATTACHMENT_BASE64), metadata={
        "description": f"At most {MAX_ATTACHMENT_BYTES} bytes: a PDF, PNG, JPEG, ODT or DOCX file, told by its content"})


class ReplyIn(SummaryIn):
    status = fields.Str(required=True, validate=validate.OneOf(REPLY_STATUSES))
    text = fields.Str(required=True, validate=validate.Length(min=1, max=20_000))
    forwarded_to = fields.Str(load_default=None, allow_none=True)
    attachments = fields.List(fields.Nested(AttachmentIn), load_default=list,
                              validate=validate.Length(max=MAX_ATTACHMENTS))


class PortalArgs(Schema):
    token = fields.Str(load_default=None)
    api_key = fields.Str(load_default=None)


class PublicReplyOut(Translated):
    dossier_id = fields.Str()
    institution_id = fields.Str()
    institution_name = fields.Dict()
    status = fields.Str()
    text = fields.Str()
    summary = fields.Str(allow_none=True)
    forwarded_to = fields.Str(allow_none=True)
    via = fields.Str()
    replied_at = fields.DateTime()
    attachments = fields.List(fields.Nested(ReplyAttachmentOut))


class RepliesOut(Schema):
    proposal_id = fields.Str()
    replies = fields.List(fields.Nested(PublicReplyOut))


class PolicyIn(Schema):
    review_required = fields.Bool(required=True)


class PolicyOut(Schema):
    municipality = fields.Str()
    review_required = fields.Bool()


class ClockIn(Schema):
    advance_seconds = fields.Float(required=True, validate=validate.Range(min=0, max=10 * 365 * 86400))


class ClockOut(Schema):
    offset_seconds = fields.Float()
    now = fields.DateTime()


class KeySetOut(Schema):
    keys = fields.List(fields.Dict())


class DossierListArgs(Schema):
    status = fields.Str(load_default=None, validate=validate.OneOf(
        ("awaiting_review", "prepared", "dispatching", "failed", "abandoned", "awaiting_manual", "sent",
         "acknowledged", "replied", "cancelled", "overdue", "failing")),
        metadata={"description": "A status, or overdue (reply past its due date), or failing (failed or abandoned)"})
    institution_id = fields.Str(load_default=None, validate=validate.Length(max=64))
    channel = fields.Str(load_default=None, validate=validate.OneOf(CHANNELS))
    proposal_id = fields.Str(load_default=None, validate=validate.Length(max=64))
    replied_since = fields.AwareDateTime(load_default=None, default_timezone=UTC)
    sort = fields.Str(load_default="newest", validate=validate.OneOf(("newest", "oldest", "due")))
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class DossierListItem(DossierOut):
    class Meta:
        exclude = ("digest", "signature", "key_id", "receipt", "reply", "timeline", "document")

    title = fields.Str(allow_none=True)
    theme = fields.Str(allow_none=True)
    competence = fields.Str(allow_none=True)
    reply_status = fields.Str(allow_none=True)
    reply_via = fields.Str(allow_none=True)
    overdue = fields.Bool(metadata={"description": "Waiting for a reply past its due date (the deadline clock)"})


class DossierListOut(Schema):
    items = fields.List(fields.Nested(DossierListItem))
    page = Integer()
    per_page = Integer()
    total = Integer()
    counts = fields.Dict(keys=fields.Str(), values=Integer(), metadata={
        "description": "status (and overdue, failing) -> how many, within the institution and channel filters"})


class DossierPageOut(DossierListItem):
    class Meta:
        exclude = ()

    outcome = fields.Str(allow_none=True)
    tally = fields.Dict(allow_none=True)
    staff_note = fields.Str(allow_none=True)
    reply = fields.Nested(StaffReplyOut, allow_none=True)


from forwarding.opendata_schemas import EXPORTS as OPEN_DATA_EXPORTS  # noqa: E402,F401  (open data)
