"""Calls from the gateway inward, each with a short-lived service token naming the caller."""
from __future__ import annotations

import logging
import threading

import requests
from flask import Response

from services.auth import Caller, service_token
from services.settings import get_settings
from services.web import problem

_local = threading.local()
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def call(service: str, method: str, path: str, caller: Caller, *, json=None, params=None,
         timeout: float = 15.0) -> requests.Response:
    url = get_settings().service_url(service) + path
    headers = {"Authorization": f"Bearer {service_token(caller)}"}
    try:
        return _session().request(method, url, json=json, params=params, headers=headers, timeout=timeout)
    except requests.ConnectionError:
        if method not in IDEMPOTENT:
            raise
        # A pooled connection the service had just closed: one fresh attempt is safe for these.
        return _session().request(method, url, json=json, params=params, headers=headers, timeout=timeout)


def first_ballot(ballot: dict | None) -> bool:
    """The voter's first ballot on this vote (version 1); later ones are changes."""
    return (ballot or {}).get("version") == 1


def follow(caller: Caller, proposal_id: str, reason: str) -> None:
    """Subscribe the caller to a proposal's news (best effort: the ballot or support stands anyway)."""
    try:
        call("notifications", "PUT", f"/api/follows/{proposal_id}", caller, json={"reason": reason}, timeout=5)
    except requests.RequestException as exc:
        logging.getLogger(__name__).warning("could not subscribe %s to %s: %s", caller.id, proposal_id, exc)


def relay(service: str, method: str, path: str, caller: Caller, **kwargs) -> Response:
    """Pass a service's answer through unchanged; an unreachable service is a 503 problem."""
    try:
        answer = call(service, method, path, caller, **kwargs)
    except requests.RequestException:
        return problem(503, "Service Unavailable", f"The {service} service is not reachable; try again.")
    if answer.status_code >= 500:
        return problem(503, "Service Unavailable", f"The {service} service failed; try again.")
    return Response(answer.content, status=answer.status_code,
                    content_type=answer.headers.get("Content-Type", "application/json"))
