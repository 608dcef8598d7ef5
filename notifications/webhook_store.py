"""Documents of the outbound webhooks: third parties' subscriptions and each delivery to them."""
from __future__ import annotations

import mongoengine as me

from services.db import new_id, utcnow


class WebhookSubscription(me.Document):
    """A third party (a newsroom, a watchdog) that hears about public events by signed POSTs."""

    id = me.StringField(primary_key=True, default=new_id)
    url = me.StringField(required=True)
    events = me.ListField(me.StringField(), required=True)  # public names: proposal.published, ...
    municipality = me.StringField(null=True)  # None: every municipality
    description = me.StringField(default="")
    secret = me.StringField(required=True)  # the HMAC key; shown once, when the subscription is made
    active = me.BooleanField(default=True)
    disabled_reason = me.StringField(null=True)  # "operator" or "failures"
    abandoned_in_row = me.IntField(default=0)  # deliveries given up on since the last success
    created_at = me.DateTimeField(default=utcnow)
    last_delivery_at = me.DateTimeField(null=True)
    meta = {"collection": "webhook_subscriptions", "indexes": ["active"]}


class WebhookDelivery(me.Document):
    """One event for one subscription: the same bytes on every attempt. The id is derived from
    (subscription, event), so an event redelivered by the broker makes no second delivery."""

    id = me.StringField(primary_key=True)  # "<subscription id>:<event id>"
    subscription_id = me.StringField(required=True)
    event_id = me.StringField(required=True)
    event = me.StringField(required=True)  # the public name
    body = me.StringField(required=True)  # the JSON sent, signed as it is
    status = me.StringField(default="pending")  # pending, failed (will retry), delivered, abandoned
    attempts = me.IntField(default=0)
    next_attempt_at = me.DateTimeField(default=utcnow)
    lease_until = me.DateTimeField(null=True)
    last_status_code = me.IntField(null=True)
    last_error = me.StringField(null=True)
    created_at = me.DateTimeField(default=utcnow)
    delivered_at = me.DateTimeField(null=True)
    meta = {"collection": "webhook_deliveries",
            "indexes": [("status", "next_attempt_at"), ("subscription_id", "-created_at")]}


MODELS = (WebhookSubscription, WebhookDelivery)
