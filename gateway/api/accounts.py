"""Public API: accounts, the gateway's own operations (written by hand: they create accounts and
sign people in, rather than relay). Their rows are in `gateway.routes.ACCOUNTS`."""
from flask import request

from gateway import handlers, resets
from gateway.api.common import blp
from gateway.api.relay import doc_of
from gateway.routes import BY_NAME
from gateway.schemas import (AccountOut, LoginIn, PasswordChangedOut, RegisterIn, ResetIn, ResetRequestedOut,
                             ResetRequestIn, TokenOut)


@blp.post("/auth/register")
@blp.arguments(RegisterIn)
@blp.response(201, AccountOut)
@blp.doc(**doc_of(BY_NAME["register"]))
def register(data):
    # The client's address is limited (429 with Retry-After); behind proxies, see CIVIC_TRUSTED_PROXIES.
    return handlers.register(data, client=request.remote_addr)


@blp.post("/auth/login")
@blp.arguments(LoginIn)
@blp.response(200, TokenOut)
@blp.doc(**doc_of(BY_NAME["login"]))
def login(data):
    return handlers.login(data["email"], data["password"])


@blp.post("/auth/password-reset")
@blp.arguments(ResetRequestIn)
@blp.response(202, ResetRequestedOut)
@blp.doc(**doc_of(BY_NAME["request_password_reset"]))
def request_password_reset(data):
    return resets.request_reset(data["email"])


@blp.post("/auth/password-reset/new-password")
@blp.arguments(ResetIn)
@blp.response(200, PasswordChangedOut)
@blp.doc(**doc_of(BY_NAME["reset_password"]))
def reset_password(data):
    return resets.reset_password(data["token"], data["password"])
