"""A moderator's morning at the moderation desk, in Chromium on a desktop and on a phone, with axe-core
on every page: from the dashboard to the desk, the queue filtered to one process (20 proposals
waiting, some published ones reported), one item approved from its own page (the next item follows),
several rejected at once with a reason from the library (preview, confirmation, results), the rest
with "Select all", and a reported proposal hidden.

The test counts the clicks (and choices in selects) and the page loads it takes, and prints them:
  FIGURES <device> one item: ... ; twenty items: ..."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import main_menu, notice, sign_in_on_page
from tests.support import register, staff_of

WAITING, REPORTS = 20, (2, 2, 1)  # pending proposals; reports on each of three published ones


class Counter:
    """Clicks, choices and page loads of one stretch of the journey."""

    def __init__(self, page):
        self.clicks = self.loads = 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def start(self) -> tuple[int, int]:
        return self.clicks, self.loads

    def since(self, mark: tuple[int, int]) -> str:
        return f"{self.clicks - mark[0]} clicks, {self.loads - mark[1]} page loads"

    def press(self, locator) -> None:
        self.clicks += 1
        activate(locator)

    def choose(self, select, **option) -> None:
        self.clicks += 1
        select.select_option(**option)


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def seeded(gateway: str) -> tuple[dict, list[dict], list[dict], object]:
    """A process of the test's own with 20 pending proposals and three published, reported ones."""
    staff = staff_of(gateway)
    name = f"Morning process {uuid.uuid4().hex[:6]}"
    process = support.new_process(staff, title={"sl": name, "en": name})
    author = register(gateway)
    pending = [author.submit(process_id=process["id"], theme="culture", summary="Evenings for newcomers and neighbours.",
                             title=f"Neighbourhood evening no. {n:02d} {uuid.uuid4().hex[:4]}") for n in range(WAITING)]
    reported = []
    for n, count in enumerate(REPORTS):
        found = author.submit(process_id=process["id"], theme="culture", title=f"Advert no. {n} {uuid.uuid4().hex[:4]}")
        assert staff.post(f"/proposals/{found['id']}/moderation",
                          json={"decision": "approve", "competence": "municipal"}).status_code == 200
        for _ in range(count):
            assert register(gateway).post(f"/proposals/{found['id']}/reports",
                                          json={"reason": "Advertises a private business."}).status_code == 201
        reported.append(found)
    return process, pending, reported, staff


def rows(page):
    return page.locator("table.queue-table tbody tr")


def test_a_moderator_s_morning(gateway, page):
    process, pending, reported, staff = seeded(gateway)
    name = process["title"]["en"]
    device = page.context.device
    page.goto(f"{gateway}/m/idrija/?lang=en")
    activate(main_menu(page).get_by_role("link", name="Sign in"))
    sign_in_on_page(page, staff.email)
    activate(main_menu(page).get_by_role("link", name="Staff console"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    check_axe(page)

    count = Counter(page)
    morning = count.start()
    count.press(page.get_by_role("link", name=re.compile(r"proposals? awaits? moderation")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation desk")
    check_axe(page)
    filters = page.get_by_role("group", name="Filter the queue")
    count.choose(filters.get_by_label("Process"), label=name)
    count.press(filters.get_by_role("button", name="Show"))
    expect(page.get_by_role("status").filter(has_text=f"{WAITING} proposals")).to_be_visible()
    expect(rows(page)).to_have_count(WAITING)
    check_axe(page)

    # One item from its own page: open it, approve at the theme's default; the next one follows.
    one = count.start()
    count.press(page.get_by_role("link", name=pending[0]["title"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(pending[0]["title"])
    expect(page.get_by_label("Competence", exact=True)).to_have_value("municipal")
    check_axe(page)
    count.press(page.get_by_role("button", name="Approve and publish"))
    expect(notice(page, "was approved and published (competence: Municipal)")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(pending[1]["title"])
    expect(page.get_by_text(f"Item 1 of {WAITING - 1}")).to_be_visible()
    check_axe(page)
    one_item = count.since(one)
    assert staff.get(f"/proposals/{pending[0]['id']}").json()["status"] == "published"

    # Several at once: tick five, reject with a reason from the library, preview, confirm.
    count.press(page.get_by_role("link", name="Back to the queue"))
    expect(rows(page)).to_have_count(WAITING - 1)
    several = pending[1:6]
    for item in several:
        count.press(page.get_by_label(f"Select “{item['title']}”"))
    count.press(page.get_by_label("Reject", exact=True))
    count.choose(page.get_by_label("Reason from the library"), label="Too unclear to be discussed.")
    count.press(page.get_by_role("button", name="Preview the decision"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the decision before it is made")
    expect(page.locator("table.preview-table tbody tr")).to_have_count(len(several))
    for item in several:
        expect(page.locator("table.preview-table")).to_contain_text(item["title"])
    check_axe(page)
    count.press(page.get_by_role("button", name=f"Reject {len(several)} proposals"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The decision was carried out")
    expect(page.get_by_role("status").filter(has_text=f"{len(several)} proposals done.")).to_be_visible()
    check_axe(page)

    # The rest of the morning's queue in one go: "Select all on this page".
    rest = count.start()
    count.press(page.get_by_role("link", name="Back to the queue"))
    left = WAITING - 1 - len(several)
    expect(rows(page)).to_have_count(left)
    count.press(page.get_by_role("link", name="Select all on this page"))
    expect(page.locator("table.queue-table input[type=checkbox]:checked")).to_have_count(left)
    count.press(page.get_by_label("Reject", exact=True))
    count.choose(page.get_by_label("Reason from the library"), label="Not related to the process.")
    count.press(page.get_by_role("button", name="Preview the decision"))
    expect(page.locator("table.preview-table tbody tr")).to_have_count(left)
    count.press(page.get_by_role("button", name=f"Reject {left} proposals"))
    expect(page.get_by_role("status").filter(has_text=f"{left} proposals done.")).to_be_visible()
    bulk_rest = count.since(rest)
    twenty = count.since(morning)
    for item in pending[1:]:
        assert staff.get(f"/proposals/{item['id']}").json()["status"] == "rejected"

    # Reported proposals of the process: read the reports, hide one.
    count.press(page.get_by_role("link", name="Back to the queue"))
    expect(page.get_by_text("No proposals here with these filters.")).to_be_visible()
    check_axe(page)
    count.press(page.get_by_role("navigation", name="Proposals by status").get_by_role("link", name=re.compile("^Published")))
    count.choose(page.get_by_role("group", name="Filter the queue").get_by_label("Reports"), label="Reported")
    count.press(page.get_by_role("group", name="Filter the queue").get_by_role("button", name="Show"))
    expect(rows(page)).to_have_count(len(reported))
    check_axe(page)
    count.press(page.get_by_role("link", name=reported[0]["title"]))
    expect(page.get_by_role("region", name="Reports").locator("tbody tr")).to_have_count(REPORTS[0])
    count.choose(page.get_by_label("Reason from the library"), label="Spam or advertising.")
    count.press(page.get_by_role("button", name="Hide the proposal"))
    expect(notice(page, "was hidden")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(reported[1]["title"])
    check_axe(page)
    assert staff.get(f"/proposals/{reported[0]['id']}").json()["status"] == "hidden"
    print(f"FIGURES {device}: one item from the queue: {one_item}; the last {left} of the queue with "
          f"'Select all': {bulk_rest}; all {WAITING} of the morning (1 on its page, {len(several)} ticked, "
          f"{left} with 'Select all', from the dashboard): {twenty}")
