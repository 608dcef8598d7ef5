"""The public API blueprint, /api/v1, and who is calling."""
from __future__ import annotations

from flask import g, request
from flask_smorest import Blueprint

from gateway import erasure, revocation
from gateway.access import ANONYMOUS
from gateway.domain import NATIONAL
from services.auth import Caller, bearer
from services.errors import Unauthorized

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Public API of the civic platform")
AUTH = [{"bearerAuth": []}]


@blp.before_request
def identify() -> None:
    """The person behind the bearer token (401 if it is invalid), or an anonymous visitor. Runs before
    any body is parsed; a municipal operation then settles the municipality from its path
    (`gateway.inner.in_municipality`)."""
    token = bearer()
    if token:
        g.caller = revocation.verify(token)  # 401 once revoked (sign-out, password change)
        if erasure.is_closed(g.caller.id):
            raise Unauthorized("This account has been closed.")
        return
    if request.headers.get("Authorization"):
        raise Unauthorized("Send 'Authorization: Bearer <token>'.")
    g.caller = Caller(ANONYMOUS, ANONYMOUS, NATIONAL)
