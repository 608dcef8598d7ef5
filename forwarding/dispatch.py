"""Delivery of a dossier to an institution's webhook: HMAC-signed, with an idempotency key."""
from __future__ import annotations

import hashlib
import hmac
import time

import requests

from services.settings import get_settings


class DeliveryFailed(Exception):
    pass


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def deliver(url: str, secret: str, dossier_id: str, body: bytes) -> str:
    """POST the dossier; return the institution's receipt or raise DeliveryFailed."""
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "Idempotency-Key": dossier_id,
               "X-Civic-Timestamp": timestamp, "X-Civic-Signature": signature(secret, timestamp, body)}
    try:
        response = requests.post(url, data=body, headers=headers,
                                 timeout=get_settings().dispatch_timeout_seconds)
    except requests.RequestException as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code not in (200, 201, 202):
        raise DeliveryFailed(f"HTTP {response.status_code}: {response.text[:300]}")
    try:
        return str(response.json()["receipt"])
    except (ValueError, KeyError, TypeError) as exc:
        raise DeliveryFailed("the acknowledgement carries no receipt") from exc
