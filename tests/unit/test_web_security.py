"""Settings of web security that the test platform cannot show: the session cookie is "Secure" unless
turned off (the local platform turns it off: plain http), and the gateway's /metrics is closed while
no scrape token is set."""
from __future__ import annotations

import pytest
from flask import Flask, session
from werkzeug.exceptions import HTTPException

from services import web_security
from services.settings import reset_settings


@pytest.fixture
def settings(monkeypatch):
    def use(**values):
        for name, value in values.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        reset_settings()
    yield use
    reset_settings()


@pytest.mark.parametrize("value, secure", [(None, True), ("1", True), ("0", False)])
def test_the_session_cookie_is_secure_unless_turned_off(settings, value, secure):
    from gateway import pages

    settings(CIVIC_SECURE_COOKIES=value)
    app = Flask("cookie")
    pages.configure(app)

    @app.get("/")
    def remember():
        session["lang"] = "en"
        return "ok"

    cookie = app.test_client().get("/").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("; Secure" in cookie) is secure, cookie


@pytest.mark.parametrize("token, header, status", [
    ("", "Bearer anything", 404), ("s3cret-token", "", 401), ("s3cret-token", "Bearer wrong", 401),
    ("s3cret-token", "Basic s3cret-token", 401), ("s3cret-token", "Bearer s3cret-token", None),
])
def test_the_gateway_metrics_scrape_token(settings, token, header, status):
    settings(CIVIC_METRICS_TOKEN=token)
    with Flask("metrics").test_request_context("/metrics", headers={"Authorization": header} if header else {}):
        if status is None:
            assert web_security.check_metrics_scrape() is None
            return
        with pytest.raises(HTTPException) as refused:
            web_security.check_metrics_scrape()
        assert (refused.value.code or refused.value.response.status_code) == status


def test_an_unexpected_error_still_carries_the_headers():
    app = Flask("errors")
    web_security.install(app, "Errors")

    @app.get("/boom")
    def boom():
        raise RuntimeError("unexpected")

    answer = app.test_client().get("/boom")
    assert answer.status_code == 500
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff" and answer.headers["Referrer-Policy"]
    over_tls = app.test_client().get("/boom", base_url="https://civic.example")
    assert over_tls.headers["Strict-Transport-Security"].startswith("max-age=")
