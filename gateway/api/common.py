"""The public API blueprint, /api/v1, and who is calling."""
from __future__ import annotations

from flask import g, request
from flask_smorest import Blueprint

from gateway.access import ANONYMOUS, OPERATOR
from gateway.municipalities import all_municipalities
from services.auth import Caller, bearer, verify_user_token
from services.errors import Unauthorized

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Public API of the civic platform")
AUTH = [{"bearerAuth": []}]


def chosen_municipality() -> str:
    """The municipality named in ?municipality= (Idrija when none or an unknown one is named)."""
    municipality = request.args.get("municipality", "idrija")
    return municipality if municipality in all_municipalities() else "idrija"


@blp.before_request
def identify() -> None:
    """The person behind the bearer token (401 if it is invalid), or an anonymous reader of the
    municipality in ?municipality=. Operators belong to no municipality: they read the one they name.
    Runs before any body is parsed."""
    token = bearer()
    if token:
        caller = verify_user_token(token)
        g.caller = Caller(caller.id, OPERATOR, chosen_municipality()) if caller.role == OPERATOR else caller
        return
    if request.headers.get("Authorization"):
        raise Unauthorized("Send 'Authorization: Bearer <token>'.")
    g.caller = Caller(ANONYMOUS, ANONYMOUS, chosen_municipality())
