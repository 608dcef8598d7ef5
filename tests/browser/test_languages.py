"""Every page in every interface language: the document's lang and direction are right (Arabic and
Persian right to left), the page does not scroll sideways on a phone, and axe-core finds no serious
or critical violation. The pages are read from the gateway's URL map (every GET page that needs no
id, plus a proposal and a process of the demo data), each visited as the role that may see it. Each
page in Arabic is kept as a screenshot under var/screenshots/ar/ (a test artefact)."""
from __future__ import annotations

import re
from collections import Counter

import pytest
import requests
from flask import Flask

from services.i18n import LANGUAGES, direction, html_lang
from tests import support
from tests.browser.conftest import SCREENSHOTS, check_axe
from tests.browser.test_journeys import sign_in_on_page

NOT_PAGES = re.compile(r"\.(csv|json|css)$|/moderation/next$|/moderation/bulk(/results)?$")
SIGNED_OUT = {"/login", "/register", "/password-reset"}  # a signed-in visitor is sent on from these
CHECKED: Counter = Counter()  # pages checked per language, for the summary


def _role(path: str) -> str:
    if path in SIGNED_OUT:
        return "visitor"
    if "/staff" in path:
        return "staff"
    if path.startswith("/portal"):
        return "institution"
    if path.startswith("/operator"):
        return "operator"
    if path.startswith("/me") or path.endswith(("/proposals/new", "/eligibility")):
        return "resident"
    return "visitor"


def pages_without_ids() -> list[tuple[str, str]]:
    """(role, path) of every GET page whose path holds nothing but the municipality."""
    from gateway.pages import bp

    app = Flask("walk")
    app.secret_key = "walk"
    app.register_blueprint(bp)
    found = set()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and set(rule.arguments) <= {"municipality"} and not NOT_PAGES.search(rule.rule):
            path = rule.rule.replace("<municipality>", "idrija")
            found.add((_role(path), path))
    return sorted(found)


@pytest.fixture(scope="module")
def pages(gateway) -> list[tuple[str, str]]:
    found = pages_without_ids()
    proposal = support.published_for_voting(support.register(gateway), support.staff_of(gateway),
                                            title="Tečaji slovenščine ob delu", theme="employment")
    process = requests.get(f"{gateway}/api/v1/m/idrija/processes", timeout=30).json()[0]["id"]
    found += [("visitor", f"/m/idrija/proposals/{proposal}"), ("visitor", f"/m/idrija/processes/{process}")]
    return found


@pytest.fixture(scope="module")
def signed_in(gateway, browser) -> dict:
    """A browser session per role, signed in once (the storage state is copied into each test's context)."""
    institution, _ = support.institution_account(gateway)
    people = {"staff": support.staff_of(gateway).email, "resident": support.register(gateway).email,
              "institution": institution.email, "operator": support.operator_of(gateway).email}
    states = {"visitor": None}
    for role, email in people.items():
        context = browser.new_context(locale="en")
        page = context.new_page()
        page.goto(f"{gateway}/login?lang=en")
        sign_in_on_page(page, email)
        states[role] = context.storage_state()
        context.close()
    return states


def test_the_walk_covers_every_side_of_the_platform():
    roles = Counter(role for role, _ in pages_without_ids())
    assert roles["staff"] >= 15 and roles["visitor"] >= 8 and roles["institution"] >= 2 and roles["operator"] >= 3


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_in_the_language(gateway, browser, pages, signed_in, language):
    contexts, problems = {}, []
    try:
        for role, path in pages:
            if role not in contexts:
                contexts[role] = browser.new_context(storage_state=signed_in[role], locale="en",
                                                     viewport={"width": 390, "height": 844}, is_mobile=True,
                                                     extra_http_headers={"X-Forwarded-For": support.client_address()})
                contexts[role].set_default_timeout(20_000)
            page = contexts[role].pages[0] if contexts[role].pages else contexts[role].new_page()
            try:
                _check(page, f"{gateway}{path}?lang={language}", language)
            except (AssertionError, pytest.fail.Exception) as failed:  # every page's problem, not the first only
                problems.append(f"{role} {path}: {failed}")
            CHECKED[language] += 1
            if language == "ar":
                (SCREENSHOTS / "ar").mkdir(parents=True, exist_ok=True)
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(SCREENSHOTS / "ar" / f"{name}.png"), full_page=True)
    finally:
        for context in contexts.values():
            context.close()
    print(f"{language}: {CHECKED[language]} pages, lang={html_lang(language)} dir={direction(language)}")
    assert not problems, "\n".join(problems)


def _check(page, url: str, language: str) -> None:
    answer = page.goto(url)
    assert answer is not None and answer.status < 400, answer and answer.status
    root = page.locator("html")
    assert root.get_attribute("lang") == html_lang(language)
    assert root.get_attribute("dir") == direction(language)
    check_axe(page)
