"""Web security of the gateway (issue 16): the headers on every kind of answer, the API docs without
inline script, CSRF on every form, common passwords refused, sessions and tokens revoked, and the
scrape token of /metrics."""
from __future__ import annotations

import re

import pytest
import requests
from flask import Flask

from tests import support
from tests.e2e.test_pages import browser, csrf_of, post_form, sign_in
from tests.support import PASSWORD, poll

CSRF_REFUSAL = "The form has expired or did not come from this site."


def surfaces(gateway: str) -> dict[str, requests.Response]:
    """One answer of each kind the gateway gives, by name."""
    get = lambda path, **kw: requests.get(f"{gateway}{path}", timeout=60, **kw)  # noqa: E731
    return {
        "page": get("/m/idrija/?lang=en"),
        "page 404": get("/no-such-page"),
        "page 400 (CSRF)": requests.post(f"{gateway}/login", data={"email": "a@example.org"}, timeout=30),
        "API JSON": get("/api/v1/municipalities"),
        "API 404 problem": get("/api/v1/no-such-thing"),
        "API 401 problem": get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"}),
        "API 422 problem": requests.post(f"{gateway}/api/v1/auth/register", json={}, timeout=30),
        "open data CSV": get("/api/v1/open-data/proposals.csv"),
        "open data JSON": get("/api/v1/open-data/proposals.json"),
        "OpenAPI": get("/api/openapi.json"),
        "API docs": get("/api/docs"),
        "API docs script": get("/api/docs.js"),
        "static file": get("/static/site.css"),
        "health": get("/healthz"),
    }


def test_every_kind_of_answer_carries_the_security_headers(gateway):
    answers = surfaces(gateway)
    assert answers["page 404"].status_code == 404 and answers["API 404 problem"].status_code == 404
    assert answers["page 400 (CSRF)"].status_code == 400 and answers["API 401 problem"].status_code == 401
    assert answers["API 422 problem"].headers["Content-Type"].startswith("application/problem+json")
    for name, answer in answers.items():
        policy = answer.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy, (name, policy)
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (name, policy)
        assert "object-src 'none'" in policy and "base-uri 'none'" in policy, (name, policy)
        assert answer.headers.get("X-Content-Type-Options") == "nosniff", name
        assert answer.headers.get("Referrer-Policy") == "same-origin", name
        assert "Strict-Transport-Security" not in answer.headers, f"{name}: HSTS over plain http"
    print(f"\nsecurity headers: {len(answers)} surfaces x 4 headers checked, HSTS absent on http")


def test_hsts_only_when_the_request_came_over_tls(gateway):
    # The test platform trusts one proxy hop (CIVIC_TRUSTED_PROXIES=1): its X-Forwarded-Proto counts.
    for path in ("/m/idrija/", "/api/v1/municipalities", "/no-such-page"):
        over_tls = requests.get(f"{gateway}{path}", headers={"X-Forwarded-Proto": "https"}, timeout=30)
        assert over_tls.headers.get("Strict-Transport-Security", "").startswith("max-age=31536000"), path
        plain = requests.get(f"{gateway}{path}", headers={"X-Forwarded-Proto": "http"}, timeout=30)
        assert "Strict-Transport-Security" not in plain.headers, path


def test_the_api_docs_start_from_a_script_file(gateway):
    page = requests.get(f"{gateway}/api/docs", timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts), scripts
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for src in re.findall(r'<script src="([^"]+)"', page.text) + re.findall(r'href="([^"]+\.css)"', page.text):
        answer = requests.get(f"{gateway}{src}", timeout=30)
        assert answer.status_code == 200 and answer.content, src
    init = requests.get(f"{gateway}/api/docs.js", timeout=30)
    assert "javascript" in init.headers["Content-Type"] and "SwaggerUIBundle(" in init.text
    assert requests.get(f"{gateway}/api/openapi.json", timeout=30).json()["info"]["title"]


def test_session_cookie_is_http_only_same_site_and_not_secure_on_the_local_platform(gateway):
    cookie = browser().get(f"{gateway}/login", timeout=30).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback: CIVIC_SECURE_COOKIES=0 from the local platform


# --- CSRF: every form of the pages --------------------------------------------------------------

def post_routes() -> list[str]:
    """A path for every POST rule of the pages blueprint, from Flask's URL map."""
    from gateway import pages

    app = Flask("walk")
    app.register_blueprint(pages.bp)
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("pages.") and "POST" in (rule.methods or ()):
            values = {name: "idrija" if name == "municipality" else
                      1 if type(rule._converters.get(name)).__name__ == "IntegerConverter" else "0123456789abcdef"
                      for name in rule.arguments}
            paths.append(rule.build(values, append_unknown=False)[1])
    return sorted(paths)


def test_every_post_page_refuses_a_form_without_the_csrf_token(gateway):
    paths = post_routes()
    assert len(paths) >= 40 and "/logout" in paths and "/me/delete" in paths, paths
    resident = support.register(gateway, language="en")
    session = sign_in(gateway, resident.email)
    session.headers["Accept-Language"] = "en"
    for path in paths:
        answer = session.post(f"{gateway}{path}", data={"email": resident.email, "password": PASSWORD},
                              allow_redirects=False, timeout=30)
        assert answer.status_code == 400, (path, answer.status_code)
        assert CSRF_REFUSAL in answer.text, path
        forged = session.post(f"{gateway}{path}", data={"csrf_token": "forged"}, allow_redirects=False, timeout=30)
        assert forged.status_code == 400, path
    # None of them acted: still signed in (no sign-out), the account still there (no deletion).
    account = session.get(f"{gateway}/me/account", allow_redirects=False, timeout=30)
    assert account.status_code == 200 and resident.email in account.text
    assert support.login(gateway, resident.email, PASSWORD)
    print(f"\nCSRF: {len(paths)} POST routes of the pages walked, each refused without and with a forged token")


# --- passwords ------------------------------------------------------------------------------------

TOO_COMMON = "This password is too common. Choose one that others are unlikely to use."


@pytest.mark.parametrize("password, message", [
    ("password12", TOO_COMMON), ("aaaaaaaaa1", TOO_COMMON), ("qwertyuiop1", TOO_COMMON),
    ("xyzxyzxyzxyz-1", "Do not repeat the same characters or pattern."),
    ("{local}-is-me-1", "Do not use your e-mail address in the password."),
])
def test_weak_passwords_are_refused_by_the_api(gateway, password, message):
    email = support.unique_email("jana")
    answer = requests.post(f"{gateway}/api/v1/auth/register", timeout=30, json={
        "email": email, "password": password.format(local=email.split("@")[0]), "municipality": "idrija"},
        headers={"X-Forwarded-For": support.client_address()})
    assert answer.status_code == 422, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert answer.json()["errors"]["json"]["password"] == [message]


def test_the_pages_say_why_a_password_is_refused(gateway):
    session = browser("en")
    form = session.get(f"{gateway}/register?lang=en", timeout=30)
    answer = session.post(f"{gateway}/register", data={
        "email": support.unique_email("page"), "password": "password12", "municipality": "idrija",
        "language": "en", "csrf_token": csrf_of(form.text)}, timeout=30)
    assert answer.status_code == 422 and 'id="password-error"' in answer.text
    assert TOO_COMMON in answer.text
    resident = support.register(gateway, language="en")
    signed_in = sign_in(gateway, resident.email)
    url = f"{gateway}/me/password"
    weak = post_form(signed_in, url, f"{url}?lang=en", current_password=PASSWORD, new_password="iloveyou123")
    assert weak.status_code == 422 and 'id="new_password-error"' in weak.text and TOO_COMMON in weak.text


# --- revocation -----------------------------------------------------------------------------------

def _signed_in_as(gateway: str, cookie: str, email: str) -> bool:
    replay = requests.Session()
    replay.cookies.set("session", cookie)
    page = replay.get(f"{gateway}/me/account?lang=en", allow_redirects=False, timeout=30)
    return page.status_code == 200 and email in page.text


def test_an_old_session_cookie_is_refused_after_sign_out(gateway):
    resident = support.register(gateway)
    session = sign_in(gateway, resident.email)
    cookie = session.cookies.get("session")
    assert _signed_in_as(gateway, cookie, resident.email)
    post_form(session, f"{gateway}/logout", f"{gateway}/")
    # Every gateway worker refuses it within a couple of seconds (gateway.revocation.REFRESH_SECONDS).
    poll(lambda: all(not _signed_in_as(gateway, cookie, resident.email) for _ in range(4)), deadline=10,
         what="the cookie of a signed-out session to be refused")
    assert resident.get("/me").status_code == 401  # sign-out ends the person's API tokens too


def test_a_password_change_revokes_the_other_sessions_and_tokens(gateway):
    resident = support.register(gateway)
    elsewhere = sign_in(gateway, resident.email)
    cookie = elsewhere.cookies.get("session")
    old_token = resident.session.headers["Authorization"]
    changed = resident.post("/me/password", json={"current_password": PASSWORD, "new_password": "fresh-words-73"})
    assert changed.status_code == 200 and changed.json()["token"]
    poll(lambda: all(resident.get("/me").status_code == 401 for _ in range(4)), deadline=10,
         what="the bearer token from before the change to be refused")
    assert resident.get("/me").json()["detail"] == "This session has ended. Sign in again."
    fresh = support.Client(gateway, token=changed.json()["token"])
    assert all(fresh.get("/me").status_code == 200 for _ in range(4))  # on every worker at once
    poll(lambda: all(not _signed_in_as(gateway, cookie, resident.email) for _ in range(4)), deadline=10,
         what="the other page session to end")
    # Changed through the pages: that session goes on with a fresh token, the API one ends.
    token = fresh.session.headers["Authorization"]
    assert resident.session.headers["Authorization"] == old_token
    here = sign_in(gateway, resident.email, "fresh-words-73")
    page = post_form(here, f"{gateway}/me/password", f"{gateway}/me/password", current_password="fresh-words-73",
                     new_password="other-words-74")
    here_cookie = here.cookies.get("session")
    assert page.status_code == 200 and page.url.endswith("/me/account")
    assert all(_signed_in_as(gateway, here_cookie, resident.email) for _ in range(4))
    poll(lambda: requests.get(f"{gateway}/api/v1/me", headers={"Authorization": token}, timeout=30).status_code
         == 401, deadline=10, what="the API token to end after the change through the pages")


def test_a_password_reset_ends_every_session(gateway, platform):
    from services.local.smtp_server import read_mailbox

    resident = support.register(gateway)
    cookie = sign_in(gateway, resident.email).cookies.get("session")
    assert requests.post(f"{gateway}/api/v1/auth/password-reset", json={"email": resident.email},
                         timeout=30).status_code == 202
    mail = poll(lambda: read_mailbox(platform.maildir, to=resident.email), 30, "the reset mail")[0]
    token = re.search(r"/password-reset/([A-Za-z0-9_-]+)", mail.get_content()).group(1)
    reset = requests.post(f"{gateway}/api/v1/auth/password-reset/new-password",
                          json={"token": token, "password": "reset-words-75"}, timeout=30)
    assert reset.status_code == 200 and "token" not in reset.json()
    poll(lambda: all(resident.get("/me").status_code == 401 for _ in range(4)), deadline=10,
         what="the bearer token from before the reset to be refused")
    poll(lambda: all(not _signed_in_as(gateway, cookie, resident.email) for _ in range(4)), deadline=10,
         what="the page session from before the reset to end")


def test_a_closed_account_s_session_and_token_are_refused(gateway):
    resident = support.register(gateway)
    session = sign_in(gateway, resident.email)
    cookie = session.cookies.get("session")
    assert resident.post("/me/deletion", json={"password": PASSWORD}).status_code == 200
    poll(lambda: all(resident.get("/me").status_code == 401 for _ in range(4)), deadline=10,
         what="the token of a closed account to be refused")
    poll(lambda: all(not _signed_in_as(gateway, cookie, resident.email) for _ in range(4)), deadline=10,
         what="the page session of a closed account to end")


# --- metrics ----------------------------------------------------------------------------------------

def test_the_gateway_metrics_want_the_scrape_token(platform, gateway):
    token = platform.environment()["CIVIC_METRICS_TOKEN"]
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": token}):
        refused = requests.get(f"{gateway}/metrics", headers=headers, timeout=30)
        assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert "civic_" not in refused.text
    scraped = requests.get(f"{gateway}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert scraped.status_code == 200 and "civic_http_request_seconds" in scraped.text
    inner = requests.get(f"{platform.url('proposals')}/metrics", timeout=30)  # on loopback only, as before
    assert inner.status_code == 200
