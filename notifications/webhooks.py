"""Outbound webhooks for third parties: subscriptions (operators), the events they hear, and the
job that delivers them, signed, with retries and backoff.

An event is turned into one delivery per matching active subscription, in the same transaction as
the consumer's processed marker, with an id derived from (subscription, event): a redelivered or
replayed event adds nothing. The job claims one due delivery under a lease, POSTs it signed as the
institutions' dossiers are (HMAC-SHA256 over "<timestamp>.<body>"), and on failure retries with
exponential backoff up to CIVIC_DISPATCH_MAX_ATTEMPTS; a subscription whose deliveries are given
up on DISABLE_AFTER times in a row is disabled. A crash between a POST and its record can send a
delivery twice: receivers deduplicate by X-Civic-Delivery (at-least-once, as every delivery here)."""
from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import time
from datetime import timedelta

import requests

from notifications.webhook_store import WebhookDelivery, WebhookSubscription
from services.claims import update_returning
from services.db import AlreadyProcessed, Unit, atomically, utcnow
from services.errors import Conflict, NotFound
from services.settings import get_settings

DISABLE_AFTER = 3  # deliveries abandoned in a row
SENDERS = 4  # job threads (the claim's lease keeps each delivery to one)
# The event types third parties hear, their public names, and the payload fields they carry (never
# an author's, voter's or official's id).
EVENTS = {
    "proposals.proposal_published": ("proposal.published", ("proposal_id", "process_id", "title", "theme",
                                                            "competence")),
    "voting.conclusion_reached": ("vote.closed", ("proposal_id", "process_id", "title", "theme", "competence",
                                                  "outcome", "tally", "ballots", "electorate", "turnout")),
    "forwarding.dossier_dispatched": ("dossier.forwarded", ("dossier_id", "proposal_id", "institution_id")),
    "forwarding.institution_replied": ("reply.published", ("dossier_id", "proposal_id", "institution_id",
                                                           "status", "text", "forwarded_to")),
}
PUBLIC_EVENTS = tuple(name for name, _ in EVENTS.values())


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def body_of(event: dict) -> str:
    name, keep = EVENTS[event["event_type"]]
    data = {key: event["payload"].get(key) for key in keep}
    return json.dumps({"event": name, "event_id": event["event_id"], "occurred_at": event["occurred_at"],
                       "municipality": event["municipality"], "data": data},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def on_public_event(event: dict) -> None:
    """One delivery per active subscription that wants this event (and its municipality)."""
    name = EVENTS[event["event_type"]][0]
    wanted = [s for s in WebhookSubscription.objects(active=True, events=name)
              if s.municipality in (None, event["municipality"])]
    body = body_of(event)

    def work(unit: Unit) -> None:
        for s in wanted:
            unit.insert(WebhookDelivery(id=f"{s.id}:{event['event_id']}", subscription_id=s.id,
                                        event_id=event["event_id"], event=name, body=body))
    atomically(work, consumer="notifications.webhooks", cause=event)


def _both(first, second):
    def handle(event: dict) -> None:
        for handler in (first, second):
            try:
                if handler is not None:
                    handler(event)
            except AlreadyProcessed:  # each part keeps its own marker: a retry runs only what is left
                continue
    return handle


def also_delivered(handlers: dict) -> dict:
    """The consumer's handlers, with the public events also turned into webhook deliveries."""
    return {**handlers, **{t: _both(handlers.get(t), on_public_event) for t in EVENTS}}


def _backoff(attempt: int) -> float:
    base = get_settings().dispatch_backoff_seconds
    return base + (min(3600.0, base * 2.0 ** (attempt - 1)) - base) * random.random()


def _claim() -> WebhookDelivery | None:
    now = utcnow()
    lease = now + timedelta(seconds=get_settings().dispatch_timeout_seconds + 5)
    son = update_returning(
        WebhookDelivery._get_collection(),
        {"status": {"$in": ["pending", "failed"]}, "next_attempt_at": {"$lte": now},
         "lease_until": {"$not": {"$gte": now}}},
        {"$set": {"lease_until": lease}, "$inc": {"attempts": 1}}, sort=[("next_attempt_at", 1)])
    return WebhookDelivery._from_son(son) if son else None


def _post(subscription: WebhookSubscription, delivery: WebhookDelivery) -> tuple[int | None, str | None]:
    body, timestamp = delivery.body.encode(), str(int(time.time()))
    headers = {"Content-Type": "application/json", "User-Agent": "civic-webhooks/1",
               "X-Civic-Event": delivery.event, "X-Civic-Delivery": delivery.id,
               "X-Civic-Timestamp": timestamp, "X-Civic-Signature": signature(subscription.secret, timestamp, body)}
    try:
        answer = requests.post(subscription.url, data=body, headers=headers, allow_redirects=False,
                               timeout=get_settings().dispatch_timeout_seconds)
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    return answer.status_code, None if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}"


def deliver_due() -> bool:
    """Send one due delivery; True if there was one (the job loop then goes on at once)."""
    delivery = _claim()
    if delivery is None:
        return False
    subscription = WebhookSubscription.objects(id=delivery.subscription_id).first()
    if subscription is None or not subscription.active:
        delivery.update(set__status="abandoned", set__last_error="subscription disabled", set__lease_until=None)
        return True
    code, error = _post(subscription, delivery)
    now = utcnow()
    if error is None:
        delivery.update(set__status="delivered", set__delivered_at=now, set__last_status_code=code,
                        set__last_error=None, set__lease_until=None)
        subscription.update(set__abandoned_in_row=0, set__last_delivery_at=now)
        return True
    if delivery.attempts < get_settings().dispatch_max_attempts:
        delivery.update(set__status="failed", set__last_status_code=code, set__last_error=error,
                        set__lease_until=None, set__next_attempt_at=now + timedelta(seconds=_backoff(delivery.attempts)))
        return True
    delivery.update(set__status="abandoned", set__last_status_code=code, set__last_error=error, set__lease_until=None)
    son = update_returning(WebhookSubscription._get_collection(), {"_id": subscription.id},
                           {"$inc": {"abandoned_in_row": 1}})
    if son and son["abandoned_in_row"] >= DISABLE_AFTER:
        subscription.update(set__active=False, set__disabled_reason="failures")
    return True


def create(data: dict) -> dict:
    """A new subscription; its secret is in this answer only."""
    events = list(dict.fromkeys(data["events"]))
    subscription = WebhookSubscription(url=data["url"], events=events, municipality=data.get("municipality"),
                                       description=data.get("description") or "", secret=secrets.token_urlsafe(32))
    subscription.save()
    return {**as_dict(subscription), "secret": subscription.secret}


def as_dict(s: WebhookSubscription) -> dict:
    counts = {status: WebhookDelivery.objects(subscription_id=s.id, status=status).count()
              for status in ("pending", "failed", "delivered", "abandoned")}
    return {"id": s.id, "url": s.url, "events": list(s.events), "municipality": s.municipality,
            "description": s.description, "active": s.active, "disabled_reason": s.disabled_reason,
            "abandoned_in_row": s.abandoned_in_row, "created_at": s.created_at,
            "last_delivery_at": s.last_delivery_at, "deliveries": counts}


def find(subscription_id: str) -> WebhookSubscription:
    found = WebhookSubscription.objects(id=subscription_id).first()
    if found is None:
        raise NotFound("No such webhook subscription.")
    return found


def listing(args: dict) -> dict:
    found = WebhookSubscription.objects.order_by("-created_at")
    if args.get("active") is not None:
        found = found.filter(active=args["active"])
    total, page, per_page = found.count(), args["page"], args["per_page"]
    items = found.skip((page - 1) * per_page).limit(per_page)
    return {"items": [as_dict(s) for s in items], "total": total, "page": page, "per_page": per_page}


def set_active(subscription_id: str, active: bool) -> dict:
    """Disable (by an operator) or enable again, which starts the failure count afresh."""
    s = find(subscription_id)
    if s.active == active:
        raise Conflict("The subscription is already " + ("active." if active else "disabled."), code="wrong_state")
    s.update(set__active=active, set__disabled_reason=None if active else "operator", set__abandoned_in_row=0)
    s.reload()
    return as_dict(s)


def deliveries(subscription_id: str, args: dict) -> dict:
    find(subscription_id)
    found = WebhookDelivery.objects(subscription_id=subscription_id).order_by("-created_at")
    if args.get("status"):
        found = found.filter(status=args["status"])
    total, page, per_page = found.count(), args["page"], args["per_page"]
    items = [{"id": d.id, "event_id": d.event_id, "event": d.event, "status": d.status, "attempts": d.attempts,
              "last_status_code": d.last_status_code, "last_error": d.last_error, "created_at": d.created_at,
              "delivered_at": d.delivered_at, "next_attempt_at": d.next_attempt_at if d.status == "failed" else None}
             for d in found.skip((page - 1) * per_page).limit(per_page)]
    return {"items": items, "total": total, "page": page, "per_page": per_page}
