"""Passwords: werkzeug's scrypt hashes (their cost set by CIVIC_PASSWORD_METHOD) and the rules a new
password must meet, with the list of common passwords shipped in gateway/data.

The method is written into every hash, so changing it never locks anyone out: old hashes verify
with the cost they were made with. Production refuses a cost below werkzeug's default (N=2**15);
the test platform uses N=2**10, because the suite registers some two thousand residents and at
the default each one costs a third of a CPU-second."""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from gateway import domain
from services.settings import get_settings

__all__ = ["check", "check_password_hash", "common_passwords", "hash_password"]
COMMON_LIST = Path(__file__).parent / "data" / "common-passwords.txt.gz"  # see gateway/data/README.md


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=get_settings().password_method)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common passwords (lowercased), read once per process (~20,000, about 2 MB in memory)."""
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def check(password: str, email: str | None = None) -> None:
    """`domain.check_password` with the shipped list (422 with messages on the password field)."""
    domain.check_password(password, email=email, common=common_passwords())
