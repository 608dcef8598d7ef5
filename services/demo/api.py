"""The story's hands: people using the public API at the gateway, waiting with a deadline, and
numbered progress lines."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import requests

T = TypeVar("T")
MUNICIPALITY = "idrija"


class StoryError(RuntimeError):
    """A step of the story could not be done; the message says which request and what came back."""


class Person:
    """One signed-in person (resident, staff or institution) speaking /api/v1 over HTTP."""

    def __init__(self, base: str, email: str, token: str | None = None):
        self.base = base.rstrip("/") + "/api/v1"
        self.email = email
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, expect: tuple = (200,), **kwargs) -> dict | list | None:
        """`path` starting with "~" is municipal: ~/proposals is /m/idrija/proposals."""
        if path.startswith("~"):
            path = f"/m/{MUNICIPALITY}{path[1:]}"
        try:
            answer = self.session.request(method, self.base + path, timeout=30, **kwargs)
        except requests.ConnectionError:
            # gunicorn closes kept-alive connections after 2 s; a reused one may be reset. Once more, afresh.
            self.session.close()
            answer = self.session.request(method, self.base + path, timeout=30, **kwargs)
        if answer.status_code not in expect:
            raise StoryError(f"{method} {path} as {self.email}: {answer.status_code} {answer.text[:300]}")
        if not answer.content or not answer.headers.get("Content-Type", "").endswith("json"):
            return None
        return answer.json()

    def get(self, path: str, **kw):
        return self.call("GET", path, **kw)

    def post(self, path: str, body: dict | None = None, expect: tuple = (200, 201), **kw):
        return self.call("POST", path, expect=expect, json=body or {}, **kw)

    def put(self, path: str, body: dict | None = None, **kw):
        return self.call("PUT", path, json=body or {}, **kw)

    def patch(self, path: str, body: dict, **kw):
        return self.call("PATCH", path, json=body, **kw)


def sign_in(base: str, email: str, password: str) -> Person:
    answer = requests.post(f"{base.rstrip('/')}/api/v1/auth/login", json={"email": email, "password": password},
                           timeout=30)
    if answer.status_code != 200:
        raise StoryError(f"sign-in of {email}: {answer.status_code} {answer.text[:200]}")
    return Person(base, email, answer.json()["token"])


def wait_for(check: Callable[[], T], what: str, deadline: float = 30.0) -> T:
    """Poll `check` until it gives something truthy; StoryError naming `what` after `deadline` seconds."""
    end, pause = time.monotonic() + deadline, 0.05
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > end:
            raise StoryError(f"timed out after {deadline:.0f}s waiting for {what}")
        time.sleep(pause)
        pause = min(pause * 1.5, 0.5)


class Progress:
    """Numbered steps, each on its own line with the seconds it took: [ 3/11] Workshop outcomes ... 1.2s"""

    def __init__(self, total: int, say: Callable[[str], None]):
        self.total, self.say, self.number = total, say, 0
        self.started = time.monotonic()

    def step(self, label: str, work: Callable[[], str | None]) -> None:
        self.number += 1
        began = time.monotonic()
        detail = work()
        self.say(f"  [{self.number:>2}/{self.total}] {label}{': ' + detail if detail else ''} "
                 f"({time.monotonic() - began:.1f}s)")

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started
