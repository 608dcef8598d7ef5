"""Calls to the inner services as the visitor, through the operations of `gateway.routes` (the same
rows, access checks and client as the JSON API), and the small lookups the pages share."""
from __future__ import annotations

import re

import requests
from flask import abort

from gateway.inner import ServiceDown, call_op
from gateway.pages.session import current_caller, home_municipality
from gateway.routes import BY_NAME

__all__ = ["ServiceDown", "checked_id", "fetch", "processes", "themes_of", "try_fetch"]
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def fetch(operation: str, *, json=None, params=None, **values) -> requests.Response:
    """Call a public operation as the visitor, in the municipality being viewed; ServiceDown when its
    service cannot answer."""
    if BY_NAME[operation].municipal:
        values.setdefault("municipality", home_municipality())
    return call_op(operation, current_caller(), json=json, params=params, **values)


def try_fetch(operation: str, **kwargs) -> requests.Response | None:
    """Like fetch, for parts of a page that can be left out: None when the service is down."""
    try:
        return fetch(operation, **kwargs)
    except ServiceDown:
        return None


def checked_id(proposal_id: str) -> str:
    if not _ID.match(proposal_id):
        abort(404)
    return proposal_id


def processes() -> list[dict]:
    answer = fetch("list_processes")
    return answer.json() if answer.status_code == 200 else []


def themes_of(process_list: list[dict]) -> list[str]:
    seen: list[str] = []
    for process in process_list:
        for theme in process.get("themes") or {}:
            if theme not in seen:
                seen.append(theme)
    return seen
