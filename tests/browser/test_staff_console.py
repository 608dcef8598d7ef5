"""The staff console as a whole, in Chromium on a desktop and a phone: the dashboard reached from
the main menu, and every section reached from the console's menu, each with axe-core; in English,
Slovene and Ukrainian the menu speaks the visitor's language."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import main_menu, sign_in_on_page
from tests.support import staff_of

SECTIONS = ("Overview", "Moderation desk", "Reports and blocks", "Abuse defences", "Processes", "Votes", "Eligibility register",
            "Forwarding")


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def test_staff_reach_every_section_from_the_dashboard(gateway, page, request):
    staff = staff_of(gateway)
    page.goto(f"{gateway}/login?lang=en")
    sign_in_on_page(page, staff.email)
    activate(main_menu(page).get_by_role("link", name="Staff console"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    check_axe(page)
    menu = page.get_by_role("navigation", name="Staff console")
    names = [link.inner_text().strip() for link in menu.get_by_role("link").all()]
    assert names == [name for name in SECTIONS if name in names] and len(names) >= 5, names
    for group in page.locator(".staff-card h2 a").all():  # each dashboard group links to its section
        assert group.get_attribute("href").startswith("/m/idrija/staff"), group.get_attribute("href")
    for name in names[1:]:
        activate(menu.get_by_role("link", name=name, exact=True))
        expect(menu.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_axe(page)
        if os.environ.get("CIVIC_SCREENSHOTS"):
            page.screenshot(path=f"{os.environ['CIVIC_SCREENSHOTS']}/{request.node.callspec.id}-{name}.png",
                            full_page=True)
    for lang, console, overview in (("sl", "Delovno mesto uprave", "Pregled"), ("uk", "Робоче місце працівника", "Огляд")):
        page.goto(f"{gateway}/m/idrija/staff?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        translated = page.get_by_role("navigation", name=console)
        expect(translated.get_by_role("link", name=overview, exact=True)).to_have_attribute("aria-current", "page")
        check_axe(page)
