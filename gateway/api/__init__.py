"""The public JSON API at /api/v1: one blueprint whose views are made from `gateway.routes`.

Accounts are the gateway's own (`accounts`); every other operation is relayed to the service that
owns it (`relay`), with a short-lived service token naming the caller."""
from gateway.api import abuse, accounts, municipalities, relay  # noqa: F401  (routes)
from gateway.api import operations  # noqa: F401  (routes: the operations view)
from gateway.api import me  # noqa: F401  (routes: one's own account)
from gateway.api.common import blp
from gateway.api.keys import wellknown

__all__ = ["blp", "wellknown"]
