"""Browser tests: Playwright driving Debian's Chromium (no browser download), axe-core on every page.

The platform is the session's one (tests/conftest.py: `platform`, `gateway`). One Chromium for the
session; each test gets fresh contexts (cookies of their own), closed after it. When a test fails,
every page still open is saved to var/screenshots/<test name>-<n>.png.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.support import client_address

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("CIVIC_CHROMIUM", "/usr/bin/chromium")
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}
BLOCKING = ("serious", "critical")  # axe impacts that fail a test; minor and moderate are only counted

# Every axe run of the session: (test, url, Counter of impacts), for the summary at the end.
AXE_LOG: list[tuple[str, str, Counter]] = []
RUNNING: list = []  # the session's browser once launched (tests may reach it only through other fixtures)


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: run tests/browser/ensure_chromium.sh (as `make test` does) "
                    "or set CIVIC_CHROMIUM", pytrace=False)
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    found = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    RUNNING.append(found)
    yield found
    RUNNING.remove(found)
    found.close()


def new_context(browser, device: str):
    """A fresh visitor on `device`, reading English, from an address of their own (registrations are
    limited per client address; the test platform trusts one X-Forwarded-For hop)."""
    context = browser.new_context(**DEVICES[device], locale="en",
                                  extra_http_headers={"X-Forwarded-For": client_address()})
    context.set_default_timeout(15_000)
    context.device = device  # read by `activate`
    return context


@pytest.fixture
def desktop_context(browser):
    context = new_context(browser, "desktop")
    yield context
    context.close()


@pytest.fixture
def phone_context(browser):
    context = new_context(browser, "phone")
    yield context
    context.close()


@pytest.fixture
def contexts(browser):
    """A factory of more visitors in one test: contexts("phone") -> a new context, closed after the test."""
    made = []

    def make(device: str):
        made.append(new_context(browser, device))
        return made[-1]

    yield make
    for context in made:
        context.close()


def activate(locator) -> None:
    """Press a control the way the device does: a tap on a phone, a click on a desktop."""
    if getattr(locator.page.context, "device", "desktop") == "phone":
        locator.tap()
    else:
        locator.click()


def check_axe(page) -> dict:
    """Run axe-core on the page as it is; fail on any serious or critical violation (all are counted),
    and on a page wider than the screen (WCAG 1.4.10 reflow: no sideways scrolling on a phone)."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    width, screen = page.evaluate("document.documentElement.scrollWidth"), page.viewport_size["width"]
    assert width <= screen, f"{page.url} is {width}px wide on a {screen}px screen: it scrolls sideways"
    violations = Axe().run(page).response["violations"]
    AXE_LOG.append((os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0], page.url,
                    Counter(v.get("impact") or "none" for v in violations)))
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    if blocking:
        lines = [f"axe: {len(blocking)} serious or critical violation(s) on {page.url}:"]
        for v in blocking:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            lines += [f"    {', '.join(map(str, node['target']))}" for node in v["nodes"]]
        pytest.fail("\n".join(lines), pytrace=False)
    return {"violations": violations}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when not in ("setup", "call") or not report.failed:
        return
    pages = [page for browser in RUNNING for context in browser.contexts for page in context.pages]
    if not pages:
        return
    name = re.sub(r"[^\w.-]+", "_", item.name).strip("_")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for number, page in enumerate(pages, start=1):
        path = SCREENSHOTS / f"{name}-{number}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # a crashed or closed page: say so, keep the test's own failure
            saved.append(f"{path.name}: not saved ({exc.__class__.__name__})")
        else:
            saved.append(str(path.relative_to(ROOT)))
    if saved:
        report.sections.append(("screenshots", "\n".join(saved)))


def pytest_terminal_summary(terminalreporter):
    if not AXE_LOG:
        return
    totals = Counter()
    for _, _, impacts in AXE_LOG:
        totals.update(impacts)
    terminalreporter.write_sep("-", f"axe-core: {len(AXE_LOG)} page checks")
    for test, url, impacts in AXE_LOG:
        if impacts:
            found = ", ".join(f"{impact} {count}" for impact, count in sorted(impacts.items()))
            terminalreporter.write_line(f"{url}  ({test}): {found}")
    terminalreporter.write_line("violations by impact: " + (", ".join(
        f"{impact} {count}" for impact, count in sorted(totals.items())) or "none"))
