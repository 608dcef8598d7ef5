"""The one client for calls from the gateway inward, used by the JSON API and the pages alike.

Each call carries a short-lived service token naming the caller, has a timeout, reuses a pooled
connection per thread, and retries once on a dropped pooled connection when the method is
idempotent. A service that cannot be reached, times out or fails (5xx) raises `ServiceDown`,
which the API answers as a 503 problem naming the service (with Retry-After) and the pages as
an error page. Other answers are returned as they are: the service's 4xx problems are the
caller's to read.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from urllib.parse import quote

import requests
from flask import Response

from gateway import abuse, blocks
from gateway.access import ANONYMOUS, OPERATOR
from gateway.municipalities import exists
from gateway.routes import BY_NAME, Op
from services.auth import Caller, service_token
from services.errors import DomainError, NotFound
from services.logs import request_id
from services.settings import get_settings

log = logging.getLogger(__name__)
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}
RETRY_AFTER_SECONDS = 5
# Path values are relayed into inner URLs: only plain identifiers, so none can climb (../) elsewhere.
_SAFE_VALUE = re.compile(r"^(?!\.{1,2}$)[A-Za-z0-9_.:@-]{1,128}$")
_local = threading.local()
# Services that could not answer a moment ago, by when: calls to them fail at once for a while.
_down: dict[str, float] = {}
DOWN_MEMORY_SECONDS = 2.0


class ServiceDown(DomainError):
    """An inner service did not answer usefully: 503 with the service's name."""

    code = "unavailable"

    def __init__(self, service: str, reason: str):
        super().__init__(f"The {service} service is {reason}; try again in a moment.")
        self.service = service
        self.retry_after = RETRY_AFTER_SECONDS


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
        # Inner services are reached directly: no proxy, netrc or CA bundle from the environment,
        # which requests otherwise looks up again on every call (5 % of the gateway's CPU).
        _local.session.trust_env = False
    return _local.session


def call(service: str, method: str, path: str, caller: Caller, *, json=None, params=None,
         timeout: float = 15.0, headers: dict | None = None, stream: bool = False) -> requests.Response:
    """One inward call as `caller`; ServiceDown when the service cannot answer. `stream`: the body
    is read as the caller reads it (`passed_through(..., stream=True)`), not at once."""
    if time.monotonic() - _down.get(service, -1e9) < DOWN_MEMORY_SECONDS:
        raise ServiceDown(service, "not reachable")  # a moment ago: the page's next calls do not wait again
    url = get_settings().service_url(service) + path
    headers = {**(headers or {}), "Authorization": f"Bearer {service_token(caller)}"}
    if request_id():  # the same id in every service's log lines for one person's request
        headers["X-Request-Id"] = request_id()
    try:
        try:
            answer = _session().request(method, url, json=json, params=params, headers=headers, timeout=timeout,
                                        stream=stream)
        except requests.ConnectionError:
            if method not in IDEMPOTENT:
                raise
            # A pooled connection the service had just closed: one fresh attempt is safe for these.
            answer = _session().request(method, url, json=json, params=params, headers=headers, timeout=timeout,
                                        stream=stream)
    except requests.Timeout as exc:
        log.warning("%s %s%s timed out after %ss", method, service, path, timeout)
        _down[service] = time.monotonic()
        raise ServiceDown(service, "not answering") from exc
    except requests.RequestException as exc:
        log.warning("%s %s%s: %s", method, service, path, exc)
        _down[service] = time.monotonic()
        raise ServiceDown(service, "not reachable") from exc
    if answer.status_code == 503:  # its database or broker is away (a 500 is one request's failure)
        _down[service] = time.monotonic()
    if answer.status_code >= 500:
        log.error("%s %s%s answered %s: %s", method, service, path, answer.status_code, answer.text[:300])
        raise ServiceDown(service, "failing")
    return answer


def in_municipality(op: Op, caller: Caller, municipality: str) -> Caller:
    """The caller as they act in `municipality` (the one a municipal path names).

    Anonymous visitors and operators read any municipality; residents and staff act in their own.
    In another one, a signed-in person may still do what anyone may (read its public pages), as an
    anonymous reader; anything else answers 404, as another municipality's data always does."""
    if not exists(municipality):
        raise NotFound("No such municipality.")
    if caller.role in (ANONYMOUS, OPERATOR):
        return Caller(caller.id, caller.role, municipality)
    if caller.municipality == municipality:
        return caller
    if op.access.public:
        return Caller(ANONYMOUS, ANONYMOUS, municipality)
    op.access.check(caller)  # a role the row admits nowhere is refused as such (403)
    raise NotFound("No such resource in this municipality.")


def inner_path(op: Op, values: dict) -> str:
    """The inner path of `op` with the caller's path values (404 for anything but a plain identifier)."""
    for name in op.params:
        if not _SAFE_VALUE.match(str(values.get(name, ""))):
            raise NotFound("No such resource.")
    return op.inner.format(**{name: quote(str(values[name]), safe="") for name in op.params})


def call_op(op: Op | str, caller: Caller, *, json=None, params=None, headers: dict | None = None,
            **values) -> requests.Response:
    """Call the inner service behind a public operation, as `caller` (who must be admitted by it)."""
    op = BY_NAME[op] if isinstance(op, str) else op
    if op.municipal and "municipality" in values:  # the pages name it; the API has settled it already
        caller = in_municipality(op, caller, values.pop("municipality"))
    op.access.check(caller)
    if op.limit:  # residents' writes: per account and per client address (429 with Retry-After)
        abuse.take(op.limit, caller, caller.municipality)
    supporting = op.name == "support_proposal" and caller.role == "resident"
    if supporting:
        blocks.admit_support(caller)  # staff may block networks and e-mail domains
    if op.within and call_op(op.within, caller, **values).status_code != 200:
        raise NotFound("No such resource.")
    body = op.fixed_body if op.fixed_body is not None else json
    answer = call(op.service, op.method, inner_path(op, values), caller, json=body, params=params,
                  timeout=op.timeout, headers=headers, stream=op.stream)
    if supporting and answer.status_code < 300:
        blocks.record_support(caller, values["proposal_id"])  # where it came from, to undo a burst
    return answer


def passed_through(answer: requests.Response, stream: bool = False) -> Response:
    """The inner service's answer, unchanged, as the gateway's answer (`stream`: chunk by chunk)."""
    body = answer.iter_content(64 * 1024) if stream else answer.content
    response = Response(body, status=answer.status_code,
                        content_type=answer.headers.get("Content-Type", "application/json"))
    for name in ("Content-Disposition", "Retry-After", "ETag", "Cache-Control", "Link"):
        if name in answer.headers:
            response.headers[name] = answer.headers[name]
    return response
