"""Public API: one's own account, the gateway's own data (hand-written: stored here, not relayed).
Their rows are in `gateway.routes.ACCOUNTS`; the use cases are `gateway.profile`."""
from flask import g

from gateway import profile
from gateway.api.common import blp
from gateway.api.relay import admitted, doc_of
from gateway.routes import BY_NAME
from gateway.schemas import AccountOut, AccountPatch, PasswordChangedOut, PasswordChangeIn


@blp.get("/me")
@admitted(BY_NAME["get_account"])
@blp.response(200, AccountOut)
@blp.doc(**doc_of(BY_NAME["get_account"]))
def get_account():
    return profile.account_of(g.caller)


@blp.patch("/me")
@admitted(BY_NAME["update_account"])
@blp.arguments(AccountPatch)
@blp.response(200, AccountOut)
@blp.doc(**doc_of(BY_NAME["update_account"]))
def update_account(data):
    return profile.update(g.caller, data)


@blp.post("/me/password")
@admitted(BY_NAME["change_password"])
@blp.arguments(PasswordChangeIn)
@blp.response(200, PasswordChangedOut)
@blp.doc(**doc_of(BY_NAME["change_password"]))
def change_password(data):
    return profile.change_password(g.caller, data["current_password"], data["new_password"])
