"""Public API: Accounts: register and sign in."""
from gateway import handlers
from gateway.api.common import blp
from gateway.schemas import AccountOut, LoginIn, RegisterIn, TokenOut


@blp.post("/auth/register")
@blp.arguments(RegisterIn)
@blp.response(201, AccountOut)
def register(data):
    return handlers.register(data)


@blp.post("/auth/login")
@blp.arguments(LoginIn)
@blp.response(200, TokenOut)
def login(data):
    return handlers.login(data["email"], data["password"])
