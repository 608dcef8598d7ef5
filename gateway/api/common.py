"""The public API blueprint, /api/v1, and who is calling (see the per-service modules)."""
from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_smorest import Blueprint

from gateway.domain import ANONYMOUS, MUNICIPALITIES
from services.auth import Caller, bearer, verify_user_token
from services.errors import Unauthorized

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Public API of the civic platform")
AUTH = [{"bearerAuth": []}]


@blp.before_request
def identify() -> None:
    """The person behind the bearer token (401 if it is invalid), or an anonymous reader
    of the municipality in ?municipality=. Runs before any body is parsed."""
    token = bearer()
    if token:
        g.caller = verify_user_token(token)
        return
    if request.headers.get("Authorization"):
        raise Unauthorized("Send 'Authorization: Bearer <token>'.")
    municipality = request.args.get("municipality", "idrija")
    g.caller = Caller(ANONYMOUS, ANONYMOUS, municipality if municipality in MUNICIPALITIES else "idrija")


def members_only(view):
    """401 for anonymous callers, before the body is even validated."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.caller.role == ANONYMOUS:
            raise Unauthorized("Sign in first: send 'Authorization: Bearer <token>'.")
        return view(*args, **kwargs)
    return wrapped


def signed_in() -> Caller:
    return g.caller


def anyone() -> Caller:
    return g.caller
