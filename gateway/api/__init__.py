"""The public JSON API at /api/v1: one blueprint, one module per area.

Accounts are the gateway's own; everything else is relayed to the service that owns it,
with a short-lived service token naming the caller."""
from gateway.api import accounts, forwarding, notifications, proposals, voting  # noqa: F401  (routes)
from gateway.api.common import blp

__all__ = ["blp"]
