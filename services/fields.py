"""Number fields for every service's schemas, bounded so that what they accept can be stored.

MongoDB (BSON) holds integers in 64 bits: a bigger one raises OverflowError deep in pymongo, a 5xx.
`Integer` range-checks on load, so such input is a 422 naming the field, and documents its bounds
in the OpenAPI description (minimum, maximum), so clients and fuzzers know them too.
"""
from __future__ import annotations

from marshmallow import fields, validate

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1


def _validators(given) -> list:
    if given is None:
        return []
    return [given] if callable(given) else list(given)


def bounded(given, low: float, high: float) -> list:
    """`given` validators with their inclusive ranges merged into one, clamped to [low, high]."""
    validators = _validators(given)
    ranges = [v for v in validators if isinstance(v, validate.Range) and v.min_inclusive and v.max_inclusive]
    rest = [v for v in validators if v not in ranges]
    lower = max([low, *(r.min for r in ranges if r.min is not None)])
    upper = min([high, *(r.max for r in ranges if r.max is not None)])
    return [validate.Range(min=lower, max=upper), *rest]


class Integer(fields.Integer):
    """An integer that fits in 64 bits (or the narrower inclusive Range given with `validate`)."""

    def __init__(self, *, validate=None, **kwargs):  # noqa: A002 - marshmallow's own keyword
        super().__init__(validate=bounded(validate, INT64_MIN, INT64_MAX), **kwargs)
