"""Outbound webhook operations, relayed to the notifications service (which consumes every topic).

Platform operators only: a subscription sends the platform's traffic to an address outside it and
holds a secret, and a newsroom or watchdog usually follows several municipalities at once."""
from __future__ import annotations

from gateway.access import OPERATORS
from gateway.routes.op import rows
from notifications.schemas import webhooks as w

WEBHOOKS = rows("notifications", "webhooks", [
    ("list_webhooks", "GET /webhooks", "/api/webhooks", OPERATORS,
     "Third parties' webhook subscriptions, with their delivery counts (platform operators).",
     {"query": w.SubscriptionArgs, "out": w.SubscriptionPage}),
    ("create_webhook", "POST /webhooks", "/api/webhooks", OPERATORS,
     "Subscribe an address to public events (proposal.published, vote.closed, dossier.forwarded, "
     "reply.published); the answer holds the signing secret, shown this once.",
     {"body": w.SubscriptionIn, "out": w.CreatedOut, "status": 201}),
    ("get_webhook", "GET /webhooks/{subscription_id}", "/api/webhooks/{subscription_id}", OPERATORS,
     "One webhook subscription (never its secret).", {"out": w.SubscriptionOut}),
    ("disable_webhook", "POST /webhooks/{subscription_id}/disable", "/api/webhooks/{subscription_id}/disable",
     OPERATORS, "Stop deliveries to a subscription.", {"out": w.SubscriptionOut}),
    ("enable_webhook", "POST /webhooks/{subscription_id}/enable", "/api/webhooks/{subscription_id}/enable",
     OPERATORS, "Deliver to a disabled subscription again (its failure count starts afresh).",
     {"out": w.SubscriptionOut}),
    ("webhook_deliveries", "GET /webhooks/{subscription_id}/deliveries",
     "/api/webhooks/{subscription_id}/deliveries", OPERATORS,
     "A subscription's deliveries: event, status, attempts, last error; newest first, paged.",
     {"query": w.DeliveryArgs, "out": w.DeliveryPage}),
])
