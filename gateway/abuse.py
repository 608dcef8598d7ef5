"""Abuse limits on residents' writes (issue 16): how many of each kind an account, and a client
address, may make in an hour, and the traces staff read to undo a burst (gateway.abuse_bulk).

Enforced in the gateway, the one place every write passes on its way in, from the JSON API and
the pages alike: `gateway.inner.call_op` takes one of a row's `limit` before the inner call
(gateway.routes), `gateway.handlers.register` one of "registrations". The counters are
`services.limits` counters in the gateway's MongoDB, so every gunicorn worker shares them. The
client address is the one ProxyFix settles from the proxies we trust (CIVIC_TRUSTED_PROXIES).

Limits apply to residents (and to anonymous registrations); staff, institutions and operators hold
accounts their municipality or the platform made. The platform's defaults (WRITE_LIMITS, changed by
CIVIC_WRITE_LIMITS) are overridden per municipality by `Municipality.limits` (operators' console
and API). A limit of 0 is no limit.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from flask import has_request_context, request

from gateway import municipalities
from services.auth import Caller
from services.limits import Limit, take_all
from services.settings import get_settings

HOUR = timedelta(hours=1)
# kind -> (per account, per address) in an hour, the platform's defaults. An address is often shared
# (a library, a school, a mobile network), so its allowance is several accounts' worth.
WRITE_LIMITS: dict[str, tuple[int, int]] = {
    "registrations": (0, 20),  # per address only; CIVIC_REGISTRATIONS_PER_HOUR sets it too
    "proposals": (10, 60),
    "comments": (30, 200),
    "reports": (20, 100),
    "supports": (60, 300),
    "ballots": (30, 600),
    "verifications": (10, 60),
}
KINDS = tuple(WRITE_LIMITS)


def parse(text: str) -> dict[str, tuple[int, int]]:
    """ "comments=30/200, *=0/0" as {kind: (per account, per address)}; "*" stands for every kind."""
    parsed: dict[str, tuple[int, int]] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, _, numbers = item.partition("=")
        account, _, address = numbers.partition("/")
        for name in KINDS if kind.strip() == "*" else (kind.strip(),):
            if name not in WRITE_LIMITS:
                raise ValueError(f"CIVIC_WRITE_LIMITS: unknown kind {name!r}; kinds: {', '.join(KINDS)}")
            parsed[name] = (int(account), int(address or account))
    return parsed


def defaults() -> dict[str, tuple[int, int]]:
    """The platform's limits: WRITE_LIMITS, then the settings."""
    settings = get_settings()
    limits = {**WRITE_LIMITS, "registrations": (0, settings.registrations_per_hour)}
    return {**limits, **parse(settings.write_limits)}


def allowed(kind: str, municipality: str | None) -> tuple[int, int]:
    """(per account, per address) for `kind` in `municipality`: its override, else the default."""
    account, address = defaults()[kind]
    found = municipalities.all_municipalities().get(municipality or "")
    override = ((getattr(found, "limits", None) or {}).get(kind) or {}) if found else {}
    return override.get("per_account", account), override.get("per_address", address)


def client_address() -> str | None:
    """The address the request came from (after the trusted proxies), outside a request None."""
    return request.remote_addr if has_request_context() else None


def _limit(kind: str, who: str, allowed_now: int) -> Limit:
    return Limit(f"{kind}_per_{who}", lambda: allowed_now, lambda: HOUR,
                 f"Too many {kind} from your {who} within an hour; try again later.")


def take(kind: str, caller: Caller | None, municipality: str | None, address: str | None = None) -> None:
    """Admit one more write of `kind` for the caller's account and address, or refuse (429)."""
    if caller is not None and caller.role not in ("resident", "anonymous"):
        return
    per_account, per_address = allowed(kind, municipality)
    address = address or client_address()
    limits = []
    if address and per_address > 0:
        limits.append((_limit(kind, "address", per_address), f"{municipality}:{address}"))
    if caller is not None and caller.role == "resident" and per_account > 0:
        limits.append((_limit(kind, "account", per_account), caller.id))
    take_all(limits)


def network(address: str | None) -> str | None:
    """The address as staff see it: its /24 (IPv4) or /48 (IPv6) network, never the address itself."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    return str(ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 48}", strict=False))


def address_hash(address: str | None) -> str | None:
    """A keyed hash of the full address: tells addresses within a network apart without keeping them."""
    if not address:
        return None
    key = get_settings().service_secret.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:16]
