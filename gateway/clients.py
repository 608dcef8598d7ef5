"""Calls from the gateway inward, each with a short-lived service token naming the caller."""
from __future__ import annotations

import threading

import requests
from flask import Response

from services.auth import Caller, service_token
from services.settings import get_settings
from services.web import problem

_local = threading.local()


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def call(service: str, method: str, path: str, caller: Caller, *, json=None, params=None,
         timeout: float = 15.0) -> requests.Response:
    url = get_settings().service_url(service) + path
    headers = {"Authorization": f"Bearer {service_token(caller)}"}
    return _session().request(method, url, json=json, params=params, headers=headers, timeout=timeout)


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
