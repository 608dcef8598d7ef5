"""The envelope of every event: who, what, when, for which municipality and aggregate, caused by
what. Producers build events only through `make_event`; consumers read them only through
`parse_event`. Both validate the payload against the catalogue's schema."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cache
from datetime import datetime, timezone

from marshmallow import Schema, ValidationError, fields, validate

from services.events.catalogue import CATALOGUE, UPCASTERS
from services.events.vocabulary import ROLES, iso_time, uuid_text


class UnreadableEvent(Exception):
    """The message is not a valid event of a known type and version."""


class ActorSchema(Schema):
    role = fields.Str(required=True, validate=validate.OneOf(ROLES))
    id = fields.Str(load_default=None, allow_none=True)


class EnvelopeSchema(Schema):
    event_id = fields.Str(required=True, validate=uuid_text)
    event_type = fields.Str(required=True, validate=validate.Regexp(r"^[a-z]+\.[a-z_]+$"))
    schema_version = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.Str(required=True, validate=iso_time)
    municipality = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    aggregate_id = fields.Str(required=True, validate=validate.Length(min=1, max=128))
    correlation_id = fields.Str(required=True)
    causation_id = fields.Str(load_default=None, allow_none=True)
    actor = fields.Nested(ActorSchema, required=True)
    payload = fields.Dict(required=True)


@dataclass(frozen=True)
class Actor:
    role: str
    id: str | None = None

    def as_dict(self) -> dict:
        return {"role": self.role, "id": self.id}


SYSTEM = Actor("system", None)


@cache
def _schema(kind: type[Schema]) -> Schema:
    """One instance per schema class: loading and dumping keep no state in it, and building one
    (its fields deep-copied) cost more than the validation (make_event built three per event)."""
    return kind()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def make_event(event_type: str, *, municipality: str, aggregate_id: str, actor: Actor,
               payload: dict, correlation_id: str | None = None,
               causation_id: str | None = None) -> dict:
    """Build a validated envelope for an event of the catalogue."""
    if event_type not in CATALOGUE:
        raise KeyError(f"unknown event type {event_type!r}: add it to its service's module in services/events/")
    version, kind = CATALOGUE[event_type]
    schema = _schema(kind)
    try:
        loaded = schema.load(payload)
    except ValidationError as exc:
        raise ValueError(f"invalid {event_type} payload: {exc.messages}") from exc
    event_id = str(uuid.uuid4())
    return {
        "event_id": event_id,
        "event_type": event_type,
        "schema_version": version,
        "occurred_at": now_iso(),
        "municipality": municipality,
        "aggregate_id": aggregate_id,
        "correlation_id": correlation_id or event_id,
        "causation_id": causation_id,
        "actor": actor.as_dict(),
        "payload": schema.dump(loaded),
    }


def follow_up(cause: dict, event_type: str, *, aggregate_id: str, payload: dict,
              actor: Actor = SYSTEM) -> dict:
    """An event caused by another: same municipality and correlation, causation = cause."""
    return make_event(event_type, municipality=cause["municipality"], aggregate_id=aggregate_id,
                      actor=actor, payload=payload, correlation_id=cause["correlation_id"],
                      causation_id=cause["event_id"])


def encode(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def parse_event(raw: bytes) -> dict:
    """Decode, validate and upcast a message; raise UnreadableEvent with the reason."""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError, RecursionError) as exc:
        raise UnreadableEvent(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise UnreadableEvent("not a JSON object")
    try:
        envelope = _schema(EnvelopeSchema).load(data)
    except ValidationError as exc:
        raise UnreadableEvent(f"invalid envelope: {exc.messages}") from exc
    kind = envelope["event_type"]
    if kind not in CATALOGUE:
        raise UnreadableEvent(f"unknown event type {kind!r}")
    current, schema = CATALOGUE[kind]
    version, payload = envelope["schema_version"], envelope["payload"]
    if version > current:
        raise UnreadableEvent(f"{kind} schema_version {version} is newer than {current}")
    while version < current:
        upcast = UPCASTERS.get((kind, version))
        if upcast is None:
            raise UnreadableEvent(f"no upcaster for {kind} v{version}")
        payload, version = upcast(payload), version + 1
    try:
        envelope["payload"] = _schema(schema).load(payload)
    except ValidationError as exc:
        raise UnreadableEvent(f"invalid {kind} payload: {exc.messages}") from exc
    envelope["schema_version"] = version
    return envelope
