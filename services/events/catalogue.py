"""The one catalogue of every event on the platform, merged from each service's module, and the
upcasters that read old versions. An event type appears in exactly one module."""
from __future__ import annotations

from collections.abc import Callable

from marshmallow import Schema

from services.events import accounts, forwarding, proposals, voting

_MODULES = (accounts, proposals, voting, forwarding)

# event_type -> (current schema_version, payload schema)
CATALOGUE: dict[str, tuple[int, type[Schema]]] = {
    kind: entry for module in _MODULES for kind, entry in module.TYPES.items()}
assert len(CATALOGUE) == sum(len(module.TYPES) for module in _MODULES), "an event type declared twice"

# (event_type, old_version) -> function(payload) -> payload of old_version + 1.
# Old payloads are upcast when read, never rewritten on the topic.
UPCASTERS: dict[tuple[str, int], Callable[[dict], dict]] = {**voting.UPCASTERS}
