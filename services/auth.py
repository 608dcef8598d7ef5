"""Tokens: the gateway signs who is calling; services verify and refuse without.

User tokens (bearer tokens handed to people at login) and service tokens
(short-lived, minted by the gateway for each inward call) use different secrets
and audiences, so one can never pass for the other.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import wraps

import jwt
from flask import g, request

from services.errors import Forbidden, Unauthorized
from services.settings import get_settings

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


def _sign(caller: Caller, secret: str, audience: str, ttl: int, **extra) -> str:
    now = int(time.time())
    claims = {"sub": caller.id, "role": caller.role, "mun": caller.municipality,
              "aud": audience, "iat": now, "exp": now + ttl, **extra}
    return jwt.encode(claims, secret, algorithm="HS256")


def _verify(token: str, secret: str, audience: str) -> Caller:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=audience,
                            options={"require": ["sub", "exp", "aud", "role", "mun"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The token is not valid.") from exc
    return Caller(claims["sub"], claims["role"], claims["mun"])


def service_token(caller: Caller) -> str:
    settings = get_settings()
    return _sign(caller, settings.service_secret, SERVICE_AUDIENCE, settings.service_token_ttl)


def user_token(caller: Caller, version: int = 0) -> str:
    """`version`: the account's token version when it was issued (claim `ver`); the gateway refuses
    the token once the account's has moved on (gateway.revocation: sign-out, password change)."""
    settings = get_settings()
    return _sign(caller, settings.user_secret, USER_AUDIENCE, settings.user_token_ttl, ver=version)


def verify_service_token(token: str) -> Caller:
    return _verify(token, get_settings().service_secret, SERVICE_AUDIENCE)


def verify_user_token(token: str) -> Caller:
    return _verify(token, get_settings().user_secret, USER_AUDIENCE)


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def load_service_caller() -> None:
    """before_request hook of every inner service: verify the gateway's token."""
    token = bearer()
    if token is None:
        raise Unauthorized("A service token is required.")
    g.caller = verify_service_token(token)


def caller() -> Caller:
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
