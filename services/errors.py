"""Domain errors carry a code; one table maps codes to HTTP status."""
from __future__ import annotations


class DomainError(Exception):
    """A use case refused: `code` says why, `errors` may name fields."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.errors = errors


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class Unauthorized(DomainError):
    code = "unauthorized"


HTTP_STATUS = {
    "invalid": 422,
    "unauthorized": 401,
    "forbidden": 403,
    "role": 403,  # the route table does not admit the caller's role
    "not_found": 404,
    "conflict": 409,
    "duplicate": 409,
    "closed": 409,
    "not_open": 409,
    "wrong_state": 409,
    "too_large": 413,
    "blocked": 403,
    "not_verified": 403,
    "not_eligible": 403,
    "too_many_attempts": 429,
    "unavailable": 503,
    "circuit_open": 503,
    "bad_link": 403,
}


def status_for(error: DomainError) -> int:
    return HTTP_STATUS.get(error.code, 422)
