"""A long discussion comes a page of 20 root comments at a time (each with all its replies), in
Chromium with axe-core: the numbered pages under the thread, the strongest argument's link to the
page its thread is on, and a reply on the second page that comes back to that page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import activate, check_axe
from tests.browser.test_deliberation_journeys import signed_in
from tests.browser.test_journeys import notice, title
from tests.support import published_for_voting, register, staff_of

ROOTS = 23  # one page of 20 and a second of 3


@pytest.fixture(scope="module")
def long_discussion(gateway):
    staff = staff_of(gateway)
    pid = published_for_voting(register(gateway), staff, title=title("Evening Slovene classes"), theme="education")
    residents = [register(gateway, eligible=True) for _ in range(3)]
    roots = []
    for n in range(ROOTS):
        answer = residents[n % 3].post(f"/proposals/{pid}/comments", json={
            "body": f"Comment number {n} on the evening classes.", "alignment": ("for", "neutral")[n % 2]})
        assert answer.status_code == 201, answer.text
        roots.append(answer.json()["id"])
    against = residents[1].post(f"/proposals/{pid}/comments", json={  # the 24th root, on the second page
        "body": "The classes would clash with the late shift at the mine.", "alignment": "against"}).json()
    assert residents[0].put(f"/comments/{against['id']}/endorsement").status_code == 200
    return {"pid": pid, "path": f"/m/idrija/proposals/{pid}", "roots": roots, "residents": residents}


def top_level(page):
    return page.locator("ol.thread > li.comment")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_visitor_reads_a_long_discussion_page_by_page(gateway, contexts, long_discussion, device):
    page = contexts(device).new_page()
    page.goto(gateway + long_discussion["path"])
    expect(page.get_by_role("heading", name="All comments (24)")).to_be_visible()
    expect(top_level(page)).to_have_count(20)
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    check_axe(page)

    strongest = page.locator(".strongest-side.stance-against")
    expect(strongest).to_contain_text("late shift at the mine")
    activate(strongest.get_by_role("link", name="Go to this comment"))
    expect(page).to_have_url(re.compile(r"comments_page=2"))
    expect(top_level(page)).to_have_count(4)
    expect(page.locator("li.comment").filter(has_text="late shift at the mine")).to_be_visible()
    check_axe(page)

    activate(page.get_by_role("navigation", name="Pages").get_by_role("link", name="Previous page"))
    expect(top_level(page).first).to_contain_text("Comment number 0 ")


def test_a_reply_on_the_second_page_comes_back_to_the_second_page(gateway, contexts, long_discussion):
    page = contexts("desktop").new_page()
    signed_in(page, gateway, register(gateway, eligible=True), long_discussion["path"] + "?comments_page=2")
    target = page.locator("li.comment").filter(has_text="Comment number 21 ")
    activate(target.get_by_role("link", name="Reply").first)
    reply = page.locator("#reply-form")
    expect(reply).to_be_visible()
    activate(reply.get_by_label("For the proposal"))
    reply.get_by_label("Your reply").fill("Number 21 is right: the bus runs until ten.")
    activate(reply.get_by_role("button", name="Post my reply"))
    expect(notice(page, "your reply was posted")).to_be_visible()
    expect(page.get_by_role("navigation", name="Pages").get_by_role("link", name="Page 2")).to_have_attribute(
        "aria-current", "page")
    expect(page.get_by_text("Number 21 is right: the bus runs until ten.")).to_be_visible()
    check_axe(page)
