"""Use case of downloading one's data: the account (the gateway's), and from the services, through
the same rows and client as the API, one's proposals, comments, follows, inbox, e-mail settings and
eligibility. Each part is asked only where the caller's role is admitted to its operation. Never a
ballot's choice: voting keeps ballots under a pseudonym per vote and no operation links them back."""
from __future__ import annotations

import json

from flask import Response

from gateway import profile
from gateway.inner import call_op
from gateway.routes import BY_NAME
from services.auth import Caller
from services.db import utcnow

PER_PAGE = 100
MAX_PAGES = 100  # 10,000 of a kind; more than anyone writes
NOT_INCLUDED = ("How you voted: a ballot is kept under a pseudonym that differs for every vote, and no part "
                "of the platform links it back to your account. Your follows name the proposals you voted on "
                "(reason \"voted\"), never how.")


def _allowed(name: str, caller: Caller) -> bool:
    return BY_NAME[name].access.allows(caller.role)


def _json(answer) -> dict:
    return answer.json() if answer.status_code == 200 else {}


def _pages(name: str, caller: Caller, params: dict | None = None, **values) -> list:
    """Every page of a paged operation's items."""
    found: list = []
    for page in range(1, MAX_PAGES + 1):
        body = _json(call_op(name, caller, params={**(params or {}), "page": page, "per_page": PER_PAGE},
                             **values))
        found += body.get("items") or []
        if not body.get("items") or len(found) >= (body.get("total") or 0):
            break
    return found


def my_data(caller: Caller) -> dict:
    """Everything the platform keeps about the caller, as one JSON document."""
    BY_NAME["export_my_data"].access.check(caller)
    account = profile.own_account(caller)
    data = {"exported_at": utcnow().isoformat(), "account": {
        "id": account.id, "email": account.email, "display_name": account.display_name, "role": account.role,
        "municipality": account.municipality, "language": account.language,
        "created_at": account.created_at.isoformat() if account.created_at else None}}
    lang = {"lang": account.language}
    if _allowed("submit_proposal", caller):  # residents and staff: a municipality's members
        data["proposals"] = _pages("list_proposals", caller, municipality=caller.municipality,
                                   params={"mine": "true", "sort": "oldest"})
    if _allowed("my_comments", caller):
        data["comments"] = _pages("my_comments", caller)
    if _allowed("my_follows", caller):
        data["follows"] = _json(call_op("my_follows", caller)).get("follows", [])
    if _allowed("inbox", caller):
        data["inbox"] = _pages("inbox", caller, params=lang)
        data["notification_preferences"] = _json(call_op("notification_preferences", caller, params=lang))
    if _allowed("eligibility_status", caller):
        data["eligibility"] = _json(call_op("eligibility_status", caller, municipality=caller.municipality))
    data["not_included"] = NOT_INCLUDED
    return data


def download(caller: Caller) -> Response:
    """One's data as a JSON file to save (the API's GET /me/data and the page /me/data.json alike)."""
    data = my_data(caller)
    return Response(json.dumps(data, ensure_ascii=False, indent=2, default=str), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="my-data-{data["exported_at"][:10]}.json"',
                             "Cache-Control": "private, no-store"})
