"""Every page of the staff console, walked: staff of the municipality get in; residents, another
municipality's staff, institutions and operators get a 403 page; signed-out visitors are sent to
sign in. The pages are read from the gateway's own URL map, so a new page is walked without a
line here."""
from __future__ import annotations

import re

import pytest
from flask import Flask

from tests import support
from tests.e2e.test_pages import browser, csrf_of, sign_in

STAFF_PREFIX = "/m/<municipality>/staff"
DUMMY = "0123456789abcdef0123456789abcdef"


def staff_pages() -> list[tuple[str, str]]:
    """(method, path pattern) of every console page, from the pages' Blueprint."""
    from gateway.pages import bp

    app = Flask("walk")
    app.secret_key = "walk"
    app.register_blueprint(bp)
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule == STAFF_PREFIX or rule.rule.startswith(STAFF_PREFIX + "/"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((method, rule.rule))
    return sorted(found)


def concrete(pattern: str, municipality: str = "idrija") -> str:
    path = pattern.replace("<municipality>", municipality)
    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", DUMMY, path)


PAGES = staff_pages()


def test_the_console_has_pages_to_walk():
    assert ("GET", STAFF_PREFIX) in PAGES
    assert len(PAGES) >= 1


@pytest.fixture(scope="module")
def visitors(gateway):
    institution, _ = support.institution_account(gateway)
    return {
        "resident": sign_in(gateway, support.register(gateway).email),
        "staff of Litija": sign_in(gateway, support.staff_of(gateway, "litija").email),
        "institution": sign_in(gateway, institution.email),
        "operator": sign_in(gateway, support.operator_of(gateway).email),
    }


def _ask(session, gateway: str, method: str, path: str):
    url = f"{gateway}{path}?lang=en"
    if method == "GET":
        return session.get(url, allow_redirects=False, timeout=30)
    token = csrf_of(session.get(f"{gateway}/login?lang=en", timeout=30).text)  # a form for anyone
    return session.request(method, url, data={"csrf_token": token}, allow_redirects=False, timeout=30)


@pytest.mark.parametrize("method,pattern", PAGES, ids=[f"{m} {p}" for m, p in PAGES])
def test_only_the_municipality_s_staff_enter(gateway, visitors, method, pattern):
    path = concrete(pattern)
    for who, session in visitors.items():
        answer = _ask(session, gateway, method, path)
        assert answer.status_code == 403, f"{who}: {method} {path} answered {answer.status_code}"
        assert "Not allowed" in answer.text, who
    signed_out = _ask(browser("en"), gateway, method, path)
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"], signed_out.status_code


def test_staff_see_the_dashboard_and_the_console_menu(gateway):
    staff = sign_in(gateway, support.staff_of(gateway).email)
    page = staff.get(f"{gateway}/m/idrija/staff?lang=en", timeout=30)
    assert page.status_code == 200, page.text
    assert "<h1>Staff console</h1>" in page.text
    assert 'aria-label="Staff console"' in page.text and 'aria-current="page">Overview</a>' in page.text
    home = staff.get(f"{gateway}/m/idrija/?lang=en", timeout=30)
    assert 'href="/m/idrija/staff"' in home.text
