"""Issue 16: a staff member's way through "Abuse defences", in Chromium on a desktop and a phone, with
axe-core on every page: block a network (a wrong value first, tied to its field), see a burst of
supports grouped by network, preview it, undo it, and lift the block."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import notice, sign_in_on_page


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def test_staff_block_a_network_and_undo_a_burst(gateway, page):
    code = f"hrib-{uuid.uuid4().hex[:6]}"
    assert support.operator_of(gateway).post("/municipalities", json={
        "code": code, "name": "Hrib", "languages": ["sl", "en"]}).status_code == 201
    staff = support.account_of(gateway, "staff", code)[0]
    pid = support.published_for_voting(support.register(gateway, municipality=code), staff,
                                       process_id=support.new_process(staff)["id"])
    burst = f"10.{uuid.uuid4().int % 200 + 20}.{uuid.uuid4().int % 250}"
    for n in range(2):
        fake = support.register(gateway, municipality=code)
        fake.session.headers["X-Forwarded-For"] = f"{burst}.{n + 1}"
        support.make_eligible(gateway, [fake], code)
        assert fake.put(f"/proposals/{pid}/support").status_code == 200

    page.goto(f"{gateway}/login?lang=en&next=/m/{code}/staff")
    sign_in_on_page(page, staff.email)
    activate(page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Abuse defences"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Abuse defences")
    check_axe(page)

    page.get_by_label("Address, network or domain").fill("not a network")
    activate(page.get_by_role("button", name="Block", exact=True))
    expect(page.get_by_role("alert")).to_contain_text("Give an address")
    check_axe(page)
    page.get_by_label("Address, network or domain").fill("203.0.113.0/24")
    page.get_by_label("Reason").fill("Bots")
    activate(page.get_by_role("button", name="Block", exact=True))
    expect(notice(page, "Blocked: 203.0.113.0/24")).to_be_visible()

    page.get_by_label("Show", exact=True).select_option("support")
    activate(page.get_by_role("button", name="Show", exact=True))
    group = page.get_by_role("row").filter(has_text=f"{burst}.0/24")
    activate(group.get_by_role("link", name=f"Undo… {burst}.0/24"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Undo this group?")
    check_axe(page)
    activate(page.get_by_role("button", name="Yes, undo them"))
    expect(notice(page, "2 undone")).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("button", name="Lift the block 203.0.113.0/24"))
    expect(notice(page, "The block of 203.0.113.0/24 was lifted.")).to_be_visible()
    expect(page.get_by_text("Nothing is blocked.")).to_be_visible()
