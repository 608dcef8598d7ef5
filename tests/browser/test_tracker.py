"""The public tracker in Chromium, on a desktop and on a phone, with axe-core on every page: from the
front door to the tracker, filtered by theme and status; a cross-municipality group (three
municipalities adopted the same ask) opened from its entry; the per-institution figures with their
chart and table; one municipality's own tracker."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import activate, check_axe
from tests.support import adopted, poll, staff_of

ASKS = {  # one ask, in three municipalities' words
    "idrija": ("Hitrejše priznavanje tujih poklicnih kvalifikacij {tag}",
               "Država naj skrajša postopek priznavanja tujih poklicnih kvalifikacij za priseljence."),
    "litija": ("Hitrejši postopek priznavanja tujih kvalifikacij {tag}",
               "Postopek priznavanja poklicnih kvalifikacij iz tujine naj bo krajši."),
    "ljubljana": ("Krajši postopki priznavanja tujih poklicnih kvalifikacij {tag}",
                  "Priseljenci naj hitreje dobijo priznane poklicne kvalifikacije iz tujine."),
}


@pytest.fixture(scope="module")
def asked(gateway):
    """Three municipalities' similar conclusions on employment, forwarded and grouped: {municipality: (pid, title)}."""
    tag, found = uuid.uuid4().hex[:6], {}
    for municipality, (title, summary) in ASKS.items():
        staff = staff_of(gateway, municipality)
        _author, pid = adopted(gateway, staff, "employment", title=title.format(tag=tag), summary=summary,
                               language="sl")
        assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
        found[municipality] = (pid, title.format(tag=tag))
    reader = staff_of(gateway)

    def grouped() -> bool:
        listed = reader.get("/tracker", params={"group_id": found["idrija"][0]}).json()["conclusions"]
        return len(listed) == 3 and all(c["group"] and c["dossiers"] for c in listed)

    poll(grouped, 90, "the three conclusions grouped and forwarded")
    return found


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def test_follow_forwarded_conclusions_their_group_and_the_institutions_figures(gateway, asked, page):
    pid, name = asked["litija"]
    page.goto(f"{gateway}/?lang=en")
    check_axe(page)
    activate(page.get_by_role("link", name=re.compile("Tracker: what happened")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tracker of forwarded conclusions")
    check_axe(page)

    filters = page.get_by_role("form", name="Filter the tracker")
    filters.get_by_label("Theme").select_option("employment")
    filters.get_by_label("Status").select_option("awaiting_reply")
    activate(filters.get_by_role("button", name="Show"))
    expect(page).to_have_url(re.compile(r"theme=employment.*status=awaiting_reply|status=awaiting_reply.*theme=employment"))
    entry = page.get_by_role("article", name=name)
    expect(entry).to_be_visible()
    expect(entry.get_by_role("row", name=re.compile("Ministry of Labour"))).to_contain_text("Awaiting reply")
    expect(entry).to_contain_text("Litija")
    check_axe(page)

    activate(entry.get_by_role("link", name="Asked for by 3 municipalities"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Asked for by 3 municipalities")
    expect(page.get_by_text("Municipalities: Idrija, Litija, Ljubljana")).to_be_visible()
    for _municipality, (_pid, member) in asked.items():
        expect(page.get_by_role("article", name=member)).to_be_visible()
    check_axe(page)

    activate(page.get_by_role("link", name="Tracker of forwarded conclusions"))
    activate(page.get_by_role("link", name="How promptly each institution replies"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How promptly institutions reply")
    table = page.get_by_role("table", name="Replies per institution")
    row = table.get_by_role("row", name=re.compile("Ministry of Labour"))
    expect(row).to_be_visible()
    received = int(row.get_by_role("cell").nth(0).inner_text())
    assert received >= 3, received  # the three asks at least (other tests send it dossiers too)
    check_axe(page)

    page.goto(f"{gateway}/m/ljubljana/tracker?lang=en&theme=employment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forwarded conclusions")
    expect(page.get_by_role("article", name=asked["ljubljana"][1])).to_be_visible()
    expect(page.get_by_role("article", name=asked["idrija"][1])).to_have_count(0)
    check_axe(page)
