"""A resident reads an institution's reply in Ukrainian, in Chromium on a desktop and on a phone, with
axe-core on every page: signed in, on the proposal's page they switch the pages to Ukrainian and read
the reply as the municipality translated it (said so), and open the original Slovene with one click."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from services.i18n import gettext
from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import sign_in_on_page
from tests.e2e.test_reply_translation_pages import REPLY, UK_SUMMARY, UK_TEXT, replied


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def test_a_resident_reads_the_reply_in_ukrainian_with_the_original_one_click_away(gateway, page):
    staff = support.staff_of(gateway)
    pid, dossier_id = replied(gateway, staff)
    answer = staff.put(f"/replies/{dossier_id}/translations/uk", json={"summary": UK_SUMMARY, "text": UK_TEXT})
    assert answer.status_code == 200, answer.text
    resident = support.register(gateway, language="uk")

    page.goto(f"{gateway}/login?lang=en&next=/m/idrija/proposals/{pid}")
    sign_in_on_page(page, resident.email)
    expect(page.get_by_role("heading", level=2, name="What happened next")).to_be_visible()
    check_axe(page)

    activate(page.get_by_role("navigation", name="Language").get_by_role("link", name="Українська"))
    reply = page.locator(".reply")
    expect(reply.locator('.reply-text[lang="uk"]')).to_have_text(UK_TEXT)
    expect(reply.locator('.reply-summary[lang="uk"]')).to_have_text(UK_SUMMARY)
    expect(reply.get_by_text(gettext("uk", "Translated by the municipality"), exact=True)).to_be_visible()
    original = reply.locator('details.reply-original .reply-text[lang="sl"]')
    expect(original).to_be_hidden()  # one click away, not in the way
    check_axe(page)

    activate(reply.locator("details.reply-original summary"))
    expect(original).to_be_visible()
    expect(original).to_have_text(REPLY)
    check_axe(page)
