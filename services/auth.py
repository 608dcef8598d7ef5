"""Tokens: the gateway signs who is calling; services verify and refuse without.

Service tokens (short-lived, minted by the gateway for each inward call) are EdDSA (Ed25519):
the gateway alone holds the private key, inner services hold only the public key, so none of
them can mint one. User tokens (bearer tokens handed to people at login) stay HS256 with the
gateway's CIVIC_USER_SECRET: only the gateway issues and verifies them. Keys, algorithms and
audiences differ, so one can never pass for the other.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING

from services.errors import Forbidden, Unauthorized
from services.kept import Remembered
from services.settings import get_settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# jwt, cryptography and flask are imported where they are used: a service's worker process only
# needs Caller from here, and the three cost it 17 MiB of its resident memory.

SERVICE_AUDIENCE = "civic-services"
USER_AUDIENCE = "civic-users"


@dataclass(frozen=True)
class Caller:
    id: str
    role: str
    municipality: str

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"


def _sign(caller: Caller, key, audience: str, ttl: int, algorithm: str, **extra) -> str:
    import jwt

    now = int(time.time())
    claims = {"sub": caller.id, "role": caller.role, "mun": caller.municipality,
              "aud": audience, "iat": now, "exp": now + ttl, **extra}
    return jwt.encode(claims, key, algorithm=algorithm)


# Tokens already verified, with their claims, until they expire: a person's requests, and the
# gateway's inward calls for them, present the same token many times, and decoding it again (the
# signature, the JSON, the claims) was 6 % of a service's CPU under a ballot load. The key is part of
# the cache key, so a token is never taken as valid under another key than the one it was checked with.
REMEMBERED_MAX = 10_000  # a bound on memory: past it, everything is verified afresh
_verified = Remembered(REMEMBERED_MAX)  # (token, key, audience, algorithm) -> claims


def _fingerprint(key) -> str | bytes:
    """What identifies a key in the caches: a shared secret itself, an Ed25519 key's raw public bytes."""
    if isinstance(key, (str, bytes)):
        return key
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = key.public_key() if hasattr(key, "public_key") else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _claims(token: str, key, audience: str, algorithm: str) -> dict:
    import jwt

    entry = (token, _fingerprint(key), audience, algorithm)
    cached = _verified.get(entry)
    if cached is not None and cached["exp"] > time.time():
        return cached
    try:
        claims = jwt.decode(token, key, algorithms=[algorithm], audience=audience,
                            options={"require": ["sub", "exp", "aud", "role", "mun"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The token is not valid.") from exc
    return _verified.keep(entry, claims)


def _verify(token: str, key, audience: str, algorithm: str) -> Caller:
    claims = _claims(token, key, audience, algorithm)
    return Caller(claims["sub"], claims["role"], claims["mun"])


# Development only (production refuses to start without configured keys): a fixed key pair, so a
# service started by hand beside a hand-started gateway still answers. The local platform
# generates a pair of its own per run (services/local/platform.py).
DEV_SEED = hashlib.sha256(b"civic dev service signing key: change me in production").digest()


def _pem(text: str, path: str) -> bytes | None:
    if text:
        return text.encode()
    return Path(path).read_bytes() if path else None


@lru_cache(maxsize=4)
def _private_key(text: str, path: str) -> Ed25519PrivateKey | None:
    from cryptography.hazmat.primitives import serialization

    pem = _pem(text, path)
    return serialization.load_pem_private_key(pem, password=None) if pem else None


@lru_cache(maxsize=4)
def _public_key(text: str, path: str) -> Ed25519PublicKey | None:
    from cryptography.hazmat.primitives import serialization

    pem = _pem(text, path)
    return serialization.load_pem_public_key(pem) if pem else None


def signing_key() -> Ed25519PrivateKey:
    """The gateway's private key for service tokens; refused where it is not configured."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    settings = get_settings()
    key = _private_key(settings.service_signing_key, settings.service_signing_key_file)
    if key is None and not (settings.service_public_key or settings.service_public_key_file):
        key = Ed25519PrivateKey.from_private_bytes(DEV_SEED)
    if key is None:
        raise RuntimeError("This process cannot mint service tokens: only the gateway holds "
                           "CIVIC_SERVICE_SIGNING_KEY(_FILE).")
    return key


def verify_key() -> Ed25519PublicKey:
    """The public key service tokens are checked with (derived from the private key at the gateway)."""
    settings = get_settings()
    key = _public_key(settings.service_public_key, settings.service_public_key_file)
    return key if key is not None else signing_key().public_key()


# Service tokens minted a moment ago, by caller: one serves every inward call for that caller while
# at least three quarters of its lifetime is left (a page makes several calls, a voter several ballots).
_minted = Remembered(REMEMBERED_MAX)  # (caller, key) -> (token, when minted)


def service_token(caller: Caller) -> str:
    settings = get_settings()
    key, now = signing_key(), time.monotonic()
    entry = (caller, _fingerprint(key))
    known = _minted.get(entry)
    if known is not None and now - known[1] < settings.service_token_ttl / 4:
        return known[0]
    token = _sign(caller, key, SERVICE_AUDIENCE, settings.service_token_ttl, "EdDSA")
    return _minted.keep(entry, (token, now))[0]


def user_token(caller: Caller, version: int = 0) -> str:
    """`version`: the account's token version when it was issued (claim `ver`); the gateway refuses
    the token once the account's has moved on (gateway.revocation: sign-out, password change)."""
    settings = get_settings()
    return _sign(caller, settings.user_secret, USER_AUDIENCE, settings.user_token_ttl, "HS256", ver=version)


def verify_service_token(token: str) -> Caller:
    return _verify(token, verify_key(), SERVICE_AUDIENCE, "EdDSA")


def verify_user_token(token: str) -> Caller:
    return _verify(token, get_settings().user_secret, USER_AUDIENCE, "HS256")


def user_token_version(token: str) -> int:
    """The `ver` claim of a valid user token (0 for tokens from before revocation existed)."""
    return int(_claims(token, get_settings().user_secret, USER_AUDIENCE, "HS256").get("ver", 0))


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh Ed25519 pair for service tokens: (private PKCS8 PEM, public SPKI PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    return (private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()),
            private.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo))


def bearer() -> str | None:
    from flask import request

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def load_service_caller() -> None:
    """before_request hook of every inner service: verify the gateway's token."""
    from flask import g

    token = bearer()
    if token is None:
        raise Unauthorized("A service token is required.")
    g.caller = verify_service_token(token)


def caller() -> Caller:
    from flask import g

    return g.caller


def require_role(*roles: str):
    """Refuse the view with 403 unless the caller has one of `roles`."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if caller().role not in roles:
                raise Forbidden(f"This operation needs the role {' or '.join(roles)}.")
            return view(*args, **kwargs)
        return wrapped
    return decorate
