"""Every number a service's schema accepts is bounded: nothing it loads can overflow MongoDB's
64-bit integers or datetime arithmetic (an OverflowError is a 5xx; a bound is a 422 naming the field)."""
from __future__ import annotations

import importlib
import inspect

import pytest
from marshmallow import Schema, ValidationError, fields, validate

from services.fields import INT64_MAX, INT64_MIN, Integer

MODULES = ("proposals.schemas", "voting.schemas", "voting.thread_schemas", "voting.desk_schemas",
           "voting.import_schemas", "voting.opendata_schemas", "forwarding.schemas", "forwarding.opendata_schemas",
           "forwarding.portal_schemas", "forwarding.tracker_schemas", "forwarding.translation_schemas",
           "notifications.schemas", "notifications.webhook_schemas")
INPUTS = ("In", "Args", "Patch")  # how request schemas are named


def number_fields():
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, schema in inspect.getmembers(module, inspect.isclass):
            if issubclass(schema, Schema) and schema.__module__.startswith(module_name):
                for field_name, field in schema().fields.items():
                    inner = getattr(field, "inner", None) or getattr(field, "value_field", None)
                    for candidate in (field, inner):
                        if isinstance(candidate, fields.Integer) or (
                                isinstance(candidate, fields.Number) and name.endswith(INPUTS)):
                            yield f"{name}.{field_name}", candidate


def bounds(field) -> tuple:
    ranges = [v for v in field.validators if isinstance(v, validate.Range)]
    return (max((r.min for r in ranges if r.min is not None), default=None),
            min((r.max for r in ranges if r.max is not None), default=None))


@pytest.mark.parametrize("name,field", list(number_fields()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_number_field_is_bounded(name, field):
    low, high = bounds(field)
    assert low is not None and high is not None, f"{name} has no range: use services.fields.Integer or a Range"
    if isinstance(field, fields.Integer):
        assert isinstance(field, Integer), f"{name}: use services.fields.Integer"
        assert INT64_MIN <= low and high <= INT64_MAX
    else:  # floats feed timedelta(...) and datetime arithmetic, which overflow long before 1e9
        assert -1e9 <= low and high <= 1e9, f"{name} accepts {low}..{high}"


class Sample(Schema):
    anything = Integer()
    count = Integer(validate=validate.Range(min=1, max=100))
    at_least_zero = Integer(validate=[validate.Range(min=0), validate.OneOf([0, 5, 2 ** 70])])


@pytest.mark.parametrize("value", [2 ** 63, 2 ** 64, -2 ** 70, str(2 ** 64)])
def test_beyond_64_bits_is_a_field_message(value):
    with pytest.raises(ValidationError) as caught:
        Sample().load({"anything": value})
    assert caught.value.messages == {"anything": [
        f"Must be greater than or equal to {INT64_MIN} and less than or equal to {INT64_MAX}."]}


def test_a_narrower_range_is_kept_as_the_only_range():
    with pytest.raises(ValidationError) as caught:
        Sample().load({"count": 2 ** 64, "at_least_zero": 2 ** 70})
    assert caught.value.messages == {
        "count": ["Must be greater than or equal to 1 and less than or equal to 100."],
        "at_least_zero": [f"Must be greater than or equal to 0 and less than or equal to {INT64_MAX}."]}
    assert Sample().load({"anything": INT64_MIN, "count": 100, "at_least_zero": 5}) == {
        "anything": INT64_MIN, "count": 100, "at_least_zero": 5}
