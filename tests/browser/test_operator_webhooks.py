"""An operator subscribes a newsroom's address to the platform's public events in Chromium, on a
desktop and a phone, with axe-core on every page: the list, a field error, the secret shown once,
the subscription with its deliveries, stopping its deliveries."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import main_menu, notice, sign_in_on_page
from tests.support import operator_of


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def test_an_operator_subscribes_a_newsroom_and_stops_its_deliveries(gateway, page):
    page.goto(f"{gateway}/login?lang=en")
    sign_in_on_page(page, operator_of(gateway).email)
    activate(main_menu(page).get_by_role("link", name="Webhooks"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    check_axe(page)

    page.get_by_label("Address (URL)").fill("newsroom.example.org")
    activate(page.get_by_role("button", name="Subscribe", exact=True))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Address (URL)")).to_have_attribute("aria-invalid", "true")
    check_axe(page)

    address = f"https://newsroom.example.org/{uuid.uuid4().hex[:8]}"
    page.get_by_label("Address (URL)").fill(address)
    page.get_by_label("Who receives it").fill("Newsroom of Idrija")
    activate(page.get_by_role("button", name="Subscribe", exact=True))
    expect(notice(page, "Copy its signing secret now")).to_be_visible()
    expect(page.locator("code.secret")).to_have_count(1)
    check_axe(page)

    activate(page.get_by_role("link", name="Open the subscription"))
    expect(page.get_by_role("heading", level=1)).to_have_text(address)
    expect(page.locator("code.secret")).to_have_count(0)
    check_axe(page)
    activate(page.get_by_role("button", name="Stop deliveries"))
    expect(notice(page, "Deliveries to this address are stopped")).to_be_visible()
    expect(page.get_by_role("button", name="Enable deliveries again")).to_be_visible()
    check_axe(page)
