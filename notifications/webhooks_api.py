"""HTTP API of the outbound webhooks (platform operators; the gateway admits no one else)."""
from __future__ import annotations

from flask_smorest import Blueprint

from notifications import webhooks
from notifications.webhook_schemas import (CreatedOut, DeliveryArgs, DeliveryPage, SubscriptionArgs, SubscriptionIn,
                                           SubscriptionOut, SubscriptionPage)
from services.auth import caller
from services.errors import Forbidden

blp = Blueprint("notifications_webhooks", __name__, url_prefix="/api")


def _operator() -> None:
    if caller().role != "operator":
        raise Forbidden("Only platform operators manage webhooks.")


@blp.get("/webhooks")
@blp.arguments(SubscriptionArgs, location="query")
@blp.response(200, SubscriptionPage)
def subscriptions(args):
    _operator()
    return webhooks.listing(args)


@blp.post("/webhooks")
@blp.arguments(SubscriptionIn)
@blp.response(201, CreatedOut)
def create(data):
    _operator()
    return webhooks.create(data)


@blp.get("/webhooks/<subscription_id>")
@blp.response(200, SubscriptionOut)
def subscription(subscription_id):
    _operator()
    return webhooks.as_dict(webhooks.find(subscription_id))


@blp.post("/webhooks/<subscription_id>/disable")
@blp.response(200, SubscriptionOut)
def disable(subscription_id):
    _operator()
    return webhooks.set_active(subscription_id, False)


@blp.post("/webhooks/<subscription_id>/enable")
@blp.response(200, SubscriptionOut)
def enable(subscription_id):
    _operator()
    return webhooks.set_active(subscription_id, True)


@blp.get("/webhooks/<subscription_id>/deliveries")
@blp.arguments(DeliveryArgs, location="query")
@blp.response(200, DeliveryPage)
def subscription_deliveries(args, subscription_id):
    _operator()
    return webhooks.deliveries(subscription_id, args)
