"""Public API: one's own account, the gateway's own data (hand-written: stored here, not relayed, or
gathered from every service). Their rows are in `gateway.routes.ACCOUNTS`; the use cases are
`gateway.profile`, `gateway.export` and `gateway.erasure`."""
from flask import g

from gateway import erasure, export, profile
from gateway.api.common import blp
from gateway.api.relay import admitted, doc_of
from gateway.routes import BY_NAME
from gateway.schemas import AccountOut, AccountPatch, DeletionIn, DeletionOut, PasswordChangedOut, PasswordChangeIn


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


@blp.get("/me/data")
@admitted(BY_NAME["export_my_data"])
@blp.doc(**doc_of(BY_NAME["export_my_data"]))
def export_my_data():
    return export.download(g.caller)


@blp.post("/me/deletion")
@admitted(BY_NAME["delete_account"])
@blp.arguments(DeletionIn)
@blp.response(200, DeletionOut)
@blp.doc(**doc_of(BY_NAME["delete_account"]))
def delete_account(data):
    return erasure.delete_account(g.caller, data["password"])
