"""Helpers shared by the integration and end-to-end tests."""
from __future__ import annotations

import time
import uuid
from typing import Callable, TypeVar

import requests

T = TypeVar("T")
PASSWORD = "test-password-42"
PROCESS = "idrija-vkljucujoca"


def poll(check: Callable[[], T], deadline: float = 30.0, what: str = "condition",
         interval: float = 0.1) -> T:
    """Call `check` until it returns something truthy; fail with `what` after `deadline` seconds."""
    end = time.monotonic() + deadline
    last = None
    while time.monotonic() < end:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {deadline:.0f}s waiting for {what}; last value: {last!r}")


class Client:
    """A person using the public API at the gateway."""

    def __init__(self, base: str, token: str | None = None, email: str | None = None):
        self.base = base.rstrip("/") + "/api/v1"
        self.email = email
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.base + path, timeout=30, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def submit(self, **fields) -> dict:
        body = {"process_id": PROCESS, "title": "Language café at the library",
                "summary": "Weekly Slovene conversation evenings for newcomers.", "theme": "employment",
                "language": "en", **fields}
        answer = self.post("/proposals", json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()


def unique_email(prefix: str = "resident") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.org"


def register(base: str, email: str | None = None, municipality: str = "idrija",
             language: str = "en") -> Client:
    email = email or unique_email()
    answer = requests.post(f"{base}/api/v1/auth/register", json={
        "email": email, "password": PASSWORD, "municipality": municipality, "language": language}, timeout=30)
    assert answer.status_code == 201, answer.text
    return login(base, email, PASSWORD)


def login(base: str, email: str, password: str) -> Client:
    answer = requests.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password}, timeout=30)
    assert answer.status_code == 200, answer.text
    return Client(base, answer.json()["token"], email)


def staff_of(base: str, municipality: str = "idrija") -> Client:
    """A staff member, created the way operators create them (the `civic user create` handler)."""
    from gateway import handlers
    from gateway.store import MODELS
    from services import db

    email = unique_email(f"staff-{municipality}")
    db.connect("gateway")
    db.ensure_indexes(*MODELS)
    handlers.register({"email": email, "password": PASSWORD, "municipality": municipality,
                       "language": "sl"}, role="staff")
    return login(base, email, PASSWORD)


def published_for_voting(author: Client, staff: Client, competence: str = "national", **fields) -> str:
    """Submit, approve, and wait until voting knows the proposal; return its id."""
    proposal = author.submit(**fields)
    answer = staff.post(f"/proposals/{proposal['id']}/moderation",
                        json={"decision": "approve", "competence": competence})
    assert answer.status_code == 200, answer.text
    poll(lambda: staff.get(f"/proposals/{proposal['id']}/results").status_code == 200, 30,
         "the voting service to learn of the published proposal")
    return proposal["id"]
