"""Domain errors and their HTTP status (services/errors.py)."""
from __future__ import annotations

import pytest

from services.errors import Conflict, DomainError, Forbidden, NotFound, Unauthorized, status_for


@pytest.mark.parametrize("code,status", [
    ("invalid", 422),
    ("unauthorized", 401),
    ("forbidden", 403),
    ("not_found", 404),
    ("conflict", 409),
    ("duplicate", 409),
    ("closed", 409),
    ("wrong_state", 409),
    ("too_large", 413),
    ("unavailable", 503),
])
def test_status_for_each_code(code, status):
    assert status_for(DomainError("x", code=code)) == status


@pytest.mark.parametrize("code", ["no_such_code", "", "CONFLICT"])
def test_unknown_codes_are_unprocessable(code):
    error = DomainError("x", code=code or None)
    assert status_for(error) == 422


@pytest.mark.parametrize("cls,code,status", [
    (DomainError, "invalid", 422),
    (NotFound, "not_found", 404),
    (Forbidden, "forbidden", 403),
    (Conflict, "conflict", 409),
    (Unauthorized, "unauthorized", 401),
])
def test_default_code_of_each_class(cls, code, status):
    error = cls("message")
    assert error.code == code
    assert status_for(error) == status
    assert error.message == "message" and str(error) == "message"
    assert error.errors is None


def test_an_explicit_code_overrides_the_class_default():
    error = Conflict("gone", code="closed", errors={"json": {"a": ["b"]}})
    assert error.code == "closed"
    assert Conflict.code == "conflict"  # the class default is untouched
    assert error.errors == {"json": {"a": ["b"]}}
    assert status_for(error) == 409


def test_subclasses_are_domain_errors():
    for cls in (NotFound, Forbidden, Conflict, Unauthorized):
        assert issubclass(cls, DomainError)
