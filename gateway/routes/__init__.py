"""The public operations of the gateway, one row each: the only place they are declared (the
rows of each inner service in their own module here, the gateway's own in `own`; `op` is the row).

A row says the public method and path (under /api/v1), the inner service and path it is relayed
to (same method), who may call it (`gateway.access`), the schemas of its query, body and answer,
and its summary. `gateway.api.relay` makes the views and their OpenAPI entries from the rows;
the pages call the same rows through `gateway.inner`; `tests/e2e/test_authorisation.py` walks
them. Rows without an inner path are the gateway's own data (accounts and sign-in in
`gateway.api.accounts`, municipalities in `gateway.api.municipalities`), written by hand because
they do more than relay.
"""
from gateway.access import EVERYONE_NATIONAL
from gateway.routes.forwarding import FORWARDING
from gateway.routes.notifications import NOTIFICATIONS
from gateway.routes.op import Op, rows
from gateway.routes.opendata import OPEN_DATA
from gateway.routes.own import ABUSE, ACCOUNTS, MUNICIPALITIES, OPERATIONS
from gateway.routes.proposals import PROPOSALS
from gateway.routes.voting import VOTING
from gateway.routes.webhooks import WEBHOOKS

__all__ = ["ALL_OPERATIONS", "BY_NAME", "CIVIC_KEYS", "RELAYED", "Op", "rows"]

RELAYED = PROPOSALS + VOTING + FORWARDING + NOTIFICATIONS + OPEN_DATA + WEBHOOKS
ALL_OPERATIONS = ACCOUNTS + MUNICIPALITIES + ABUSE + OPERATIONS + RELAYED
BY_NAME = {op.name: op for op in ALL_OPERATIONS}
# Outside /api/v1 and the OpenAPI document, but in the authorisation table all the same.
CIVIC_KEYS = Op("civic_keys", "GET", "/.well-known/civic-keys.json", EVERYONE_NATIONAL, "keys",
                "The municipalities' Ed25519 public keys, to verify dossiers.", "forwarding", "/api/keys")
