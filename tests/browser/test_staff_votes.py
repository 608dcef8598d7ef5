"""The staff console's votes section in Chromium, desktop and phone, axe-core on every page: running a
vote from scheduling to forwarding. A published proposal of national competence is found on the list
by its process, given a window, opened now after a confirmation, voted on by residents (through the
API), closed after a confirmation; the result shows the tally and the recount check, and the link to
forwarding shows where the adopted conclusion went."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_deliberation_journeys import reload_until
from tests.browser.test_journeys import main_menu, notice, sign_in_on_page, title


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def test_running_a_vote_from_scheduling_to_forwarding(gateway, page):
    staff = support.staff_of(gateway)
    process = support.new_process(staff, title={"en": title("Vote desk process"), "sl": "Proces"})
    name = title("Evening Slovene courses for workers")
    pid = support.published_for_voting(support.register(gateway), staff, competence="national",
                                       process_id=process["id"], title=name, theme="employment")

    page.goto(gateway + "/m/idrija/")  # the staff account speaks Slovene: the visitor picks English first
    activate(page.get_by_role("navigation", name="Language").get_by_role("link", name="English"))
    activate(main_menu(page).get_by_role("link", name="Sign in"))
    sign_in_on_page(page, staff.email)
    activate(main_menu(page).get_by_role("link", name="Staff console"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    check_axe(page)
    activate(page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Votes"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Votes")
    check_axe(page)
    activate(page.get_by_role("navigation", name="Votes by state").get_by_role("link", name="Ready to schedule"))
    page.get_by_label("Process").select_option(process["id"])
    activate(page.get_by_role("button", name="Show"))
    expect(page.get_by_role("table", name="Ready to schedule")).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("link", name=name))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_axe(page)

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).astimezone(ZoneInfo("Europe/Ljubljana"))
    page.get_by_label("Opens at").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closes at").fill((tomorrow + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    activate(page.get_by_role("button", name="Save the window"))
    expect(notice(page, "The voting window was saved.")).to_be_visible()
    expect(page.get_by_text("State: Scheduled")).to_be_visible()
    check_axe(page)

    activate(page.get_by_role("button", name="Open now…"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open the vote now?")
    check_axe(page)
    activate(page.get_by_role("button", name="Yes, open the vote now"))
    expect(notice(page, "Voting is now open.")).to_be_visible()

    for voter, choice in zip(support.eligible_residents(gateway, 3), ("yes", "yes", "no")):
        assert voter.put(f"/proposals/{pid}/ballot", json={"choice": choice}).status_code == 200
    page.reload()
    expect(page.get_by_text("Ballots so far")).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("button", name="Close now…"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the vote now?")
    expect(page.get_by_text("Closing is final. It cannot be undone")).to_be_visible()
    expect(page.get_by_text("3 ballots have been cast so far.")).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("button", name="Yes, close the vote now"))
    expect(notice(page, "Voting is closed.")).to_be_visible()

    results = page.get_by_role("table", name="Results of the vote")
    expect(results.get_by_role("row", name="Yes 2")).to_be_visible()
    expect(page.get_by_text("Outcome: Adopted")).to_be_visible()
    reload_until(page, page.get_by_text("The recount matched."), "the recount check", 60)
    check_axe(page)

    forwarding = page.get_by_role("region", name="Forwarding to national institutions")
    reload_until(page, forwarding.get_by_text("dossier"), "the conclusion's dossiers", 60)
    activate(forwarding.get_by_role("link", name="Follow the forwarding of this proposal"))
    expect(page).to_have_url(f"{gateway}/m/idrija/proposals/{pid}#forwarding")
    section = page.get_by_role("region", name="What happened next")
    reload_until(page, section.get_by_text("The adopted proposal was sent to"), "the dossiers on the proposal page", 60)
    expect(section.get_by_role("heading", level=3).first).to_be_visible()
    check_axe(page)
