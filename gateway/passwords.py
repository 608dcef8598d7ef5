"""Password hashes: werkzeug's scrypt, its cost set by CIVIC_PASSWORD_METHOD.

The method is written into every hash, so changing it never locks anyone out: old hashes verify
with the cost they were made with. Production refuses a cost below werkzeug's default (N=2**15);
the test platform uses N=2**10, because the suite registers some two thousand residents and at
the default each one costs a third of a CPU-second."""
from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from services.settings import get_settings

__all__ = ["check_password_hash", "hash_password"]


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=get_settings().password_method)
