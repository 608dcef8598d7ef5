"""The words and checks every event's payload shares: competences, choices, outcomes, roles,
identifiers, timestamps and the tally."""
from __future__ import annotations

import uuid
from datetime import datetime

from marshmallow import Schema, ValidationError, fields, validate

COMPETENCES = ("municipal", "national", "shared")
CHOICES = ("yes", "no", "abstain")
OUTCOMES = ("adopted", "rejected", "no_quorum")
ROLES = ("resident", "staff", "institution", "operator", "system")


def uuid_text(value: str) -> bool:
    try:
        canonical = str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise ValidationError("Not a valid UUID.") from exc
    if canonical != value:  # one spelling per id, or deduplication could be fooled
        raise ValidationError("UUIDs are written in lower-case 8-4-4-4-12 form.")
    return True


def iso_time(value: str) -> bool:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError("Not an ISO-8601 timestamp.") from exc
    if parsed.tzinfo is None:
        raise ValidationError("Timestamp must carry a UTC offset.")
    return True


def id_field():
    return fields.Str(required=True, validate=validate.Length(min=1, max=128))


class Tally(Schema):
    yes = fields.Int(required=True, strict=True, validate=validate.Range(min=0))
    no = fields.Int(required=True, strict=True, validate=validate.Range(min=0))
    abstain = fields.Int(required=True, strict=True, validate=validate.Range(min=0))
