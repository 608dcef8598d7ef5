"""The gateway's one client inward: a service that cannot be reached, is too slow or fails is a
503 problem that names it, with Retry-After; path values never climb into another inner path."""
from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from gateway import inner
from gateway.routes import BY_NAME
from services.auth import Caller
from services.errors import NotFound, status_for

ANYONE = Caller("anonymous", "anonymous", "idrija")


class Failing(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(500)
        self.end_headers()
        self.wfile.write(b"boom")

    def log_message(self, *args):
        pass


@pytest.fixture
def service_at(monkeypatch):
    def point(url: str):
        monkeypatch.setattr(inner, "get_settings", lambda: type("S", (), {"service_url": lambda self, s: url})())
    return point


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_service_is_a_503_naming_it_with_retry_after(service_at):
    service_at(f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(inner.ServiceDown) as caught:
        inner.call("voting", "GET", "/api/votes/x/results", ANYONE, timeout=2)
    assert status_for(caught.value) == 503 and caught.value.retry_after > 0
    assert "The voting service is not reachable" in caught.value.message


def test_a_failing_service_is_a_503_not_its_500(service_at):
    server = HTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        service_at(f"http://127.0.0.1:{server.server_port}")
        with pytest.raises(inner.ServiceDown) as caught:
            inner.call("proposals", "GET", "/api/proposals", ANYONE, timeout=2)
        assert "The proposals service is failing" in caught.value.message
    finally:
        server.shutdown()


@pytest.mark.parametrize("value", ["..", ".", "a/b", "x?y=1", "%2e%2e", "", "a" * 129])
def test_path_values_are_plain_identifiers(value):
    with pytest.raises(NotFound):
        inner.inner_path(BY_NAME["get_proposal"], {"proposal_id": value})


def test_a_plain_identifier_lands_in_the_inner_path():
    assert inner.inner_path(BY_NAME["cast_ballot"], {"proposal_id": "ab12"}) == "/api/votes/ab12/ballot"
