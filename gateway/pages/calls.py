"""Calls to the inner services as the visitor, and the small lookups the pages share."""
from __future__ import annotations

import re

import requests
from flask import abort

from gateway.clients import call
from gateway.pages.session import current_caller

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ServiceDown(Exception):
    def __init__(self, service: str):
        super().__init__(service)
        self.service = service


def fetch(service: str, method: str, path: str, *, json=None, params=None) -> requests.Response:
    """A call to an inner service as the visitor; ServiceDown when it cannot answer."""
    try:
        answer = call(service, method, path, current_caller(), json=json, params=params)
    except requests.RequestException as exc:
        raise ServiceDown(service) from exc
    if answer.status_code >= 500:
        raise ServiceDown(service)
    return answer


def try_fetch(service: str, method: str, path: str, **kwargs) -> requests.Response | None:
    """Like fetch, for parts of a page that can be left out: None when the service is down."""
    try:
        return fetch(service, method, path, **kwargs)
    except ServiceDown:
        return None


def checked_id(proposal_id: str) -> str:
    if not _ID.match(proposal_id):
        abort(404)
    return proposal_id


def processes() -> list[dict]:
    answer = fetch("proposals", "GET", "/api/processes")
    return answer.json() if answer.status_code == 200 else []


def themes_of(process_list: list[dict]) -> list[str]:
    seen: list[str] = []
    for process in process_list:
        for theme in process.get("themes") or {}:
            if theme not in seen:
                seen.append(theme)
    return seen
