"""A crowd's idle kept-alive connections leave room for new ones (services/gunicorn_conf.py:
worker_connections). With gunicorn's default of 1,000, residents who had just signed in held every
slot for the 75 s keep-alive, and the ballots of a closing-minute rush waited past their timeout."""
from __future__ import annotations

import socket
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest
import requests

from services.gunicorn_conf import raise_open_files

IDLE = 1100  # more than gunicorn's default worker_connections


def _kept_alive(host: str, port: int) -> socket.socket:
    """A connection that has had its answer and is kept open, idle, as a browser keeps it."""
    sock = socket.create_connection((host, port), timeout=10)
    sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        assert chunk, "the gateway closed a fresh connection"
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:100]
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert b"connection: close" not in head, "the gateway had no room left to keep this connection"
    return sock


def test_a_new_visitor_is_served_while_a_thousand_connections_idle(gateway):
    if not raise_open_files(IDLE + 200):
        pytest.skip(f"this machine allows fewer open files per process than the test's {IDLE} sockets")
    url = urlsplit(gateway)
    with ExitStack() as stack:
        for n in range(IDLE):  # gunicorn's default kept 992 and closed the rest after their answer
            try:
                stack.enter_context(_kept_alive(url.hostname, url.port))
            except AssertionError as exc:
                raise AssertionError(f"connection {n + 1}: {exc}") from None
        answer = requests.get(f"{gateway}/healthz", timeout=10, headers={"Connection": "close"})
        assert answer.status_code == 200
