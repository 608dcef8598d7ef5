"""Schemas of the outbound webhooks API (see notifications.webhooks)."""
from __future__ import annotations

from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, validate, validates

from notifications.webhooks import PUBLIC_EVENTS
from services.fields import Integer
from services.opendata import MUNICIPALITY


class SubscriptionIn(Schema):
    url = fields.Str(required=True, validate=validate.Length(max=2000),
                     metadata={"description": "Where the signed POSTs go (http or https)."})
    events = fields.List(fields.Str(validate=validate.OneOf(PUBLIC_EVENTS)), required=True,
                         validate=validate.Length(min=1, max=len(PUBLIC_EVENTS)))
    municipality = fields.Str(load_default=None, allow_none=True, validate=MUNICIPALITY,
                              metadata={"description": "Only this municipality's events (all without it)."})
    description = fields.Str(load_default="", validate=validate.Length(max=300))

    @validates("url")
    def _url(self, value, **_):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError("An http:// or https:// address.")


class DeliveryCounts(Schema):
    pending, failed, delivered, abandoned = Integer(), Integer(), Integer(), Integer()


class SubscriptionOut(Schema):
    id = fields.Str(required=True)
    url = fields.Str(required=True)
    events = fields.List(fields.Str(), required=True)
    municipality = fields.Str(allow_none=True)
    description = fields.Str()
    active = fields.Bool(required=True)
    disabled_reason = fields.Str(allow_none=True, metadata={"description": "operator or failures"})
    abandoned_in_row = Integer()
    created_at = fields.DateTime()
    last_delivery_at = fields.DateTime(allow_none=True)
    deliveries = fields.Nested(DeliveryCounts)


class CreatedOut(SubscriptionOut):
    secret = fields.Str(required=True, metadata={"description": "The HMAC-SHA256 key: shown this once only."})


class PageArgs(Schema):
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class SubscriptionArgs(PageArgs):
    active = fields.Bool(load_default=None, allow_none=True)


class DeliveryArgs(PageArgs):
    status = fields.Str(load_default=None, validate=validate.OneOf(("pending", "failed", "delivered", "abandoned")))


class SubscriptionPage(Schema):
    items = fields.List(fields.Nested(SubscriptionOut), required=True)
    total, page, per_page = Integer(required=True), Integer(required=True), Integer(required=True)


class DeliveryOut(Schema):
    id, event_id, event, status = fields.Str(), fields.Str(), fields.Str(), fields.Str()
    attempts = Integer()
    last_status_code = Integer(allow_none=True)
    last_error = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)
    next_attempt_at = fields.DateTime(allow_none=True)


class DeliveryPage(Schema):
    items = fields.List(fields.Nested(DeliveryOut), required=True)
    total, page, per_page = Integer(required=True), Integer(required=True), Integer(required=True)
