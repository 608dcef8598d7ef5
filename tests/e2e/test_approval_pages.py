"""Approval ballots on the web: a process's ballots are listed; staff open and close one from its
page; a resident chooses up to N measures, confirms, sees the receipt once; the results rank the
measures."""
from __future__ import annotations

import re

from tests import support
from tests.e2e.test_pages import browser, post_form, sign_in
from tests.support import PROCESS

RECEIPT = re.compile(r'class="receipt-code"><strong>([A-Z2-7-]{19})</strong>')


def test_an_approval_ballot_from_the_list_to_the_ranking(gateway):
    staff_api = support.staff_of(gateway)
    created = staff_api.post(f"/processes/{PROCESS}/approval-votes", json={
        "title": "Which measures first, on the web?", "max_selections": 2,
        "options": [{"id": "cafe", "label": "Language café"}, {"id": "desk", "label": "Advice desk"},
                    {"id": "walks", "label": "Welcome walks"}]})
    assert created.status_code == 201, created.text
    aid = created.json()["id"]
    listing = browser("en").get(f"{gateway}/m/idrija/processes/{PROCESS}/approval-votes", timeout=30)
    assert listing.status_code == 200 and f"/m/idrija/approval-votes/{aid}" in listing.text
    assert "3 measures" in listing.text

    page_url = f"{gateway}/m/idrija/approval-votes/{aid}"
    staff = sign_in(gateway, staff_api.email)
    staff.get(f"{page_url}?lang=en", timeout=30)  # the staff account speaks Slovene
    opened = post_form(staff, f"{page_url}/open", page_url)
    assert opened.status_code == 200 and "Voting is now open" in opened.text

    resident = sign_in(gateway, support.register(gateway, language="en", eligible=True).email)
    form = resident.get(page_url, timeout=30).text
    assert form.count('type="checkbox" id="selection-') == 3 and "Choose up to 2 measures" in form
    too_many = post_form(resident, f"{page_url}/ballot", page_url, selection=["cafe", "desk", "walks"])
    assert "Choose at most 2 measures." in too_many.text
    assert staff_api.get(f"/approval-votes/{aid}").json()["ballots"] in (0, None)

    confirm = post_form(resident, f"{page_url}/ballot", page_url, selection=["cafe", "walks"])
    assert "Confirm your vote" in confirm.text and "Language café" in confirm.text and "Advice desk" not in confirm.text
    cast = post_form(resident, f"{page_url}/ballot", page_url, selection=["cafe", "walks"], confirmed="yes")
    assert "Your ballot with 2 measures was recorded" in cast.text
    assert RECEIPT.search(cast.text), "the receipt is shown once"
    assert not RECEIPT.search(resident.get(page_url, timeout=30).text)

    closed = post_form(staff, f"{page_url}/close", page_url)
    assert "Voting is closed" in closed.text
    results = browser("en").get(page_url, timeout=30).text
    ranking = re.findall(r'<tr><td>(\d)</td><th scope="row" dir="auto">([^<]+)</th>', results)
    assert [label for _n, label in ranking][:2] in (["Language café", "Welcome walks"], ["Welcome walks", "Language café"])
    assert ranking[2][1] == "Advice desk"


def test_a_process_without_approval_ballots_says_so(gateway):
    staff = support.staff_of(gateway)
    process = support.new_process(staff)["id"]
    page = browser("en").get(f"{gateway}/m/idrija/processes/{process}/approval-votes", timeout=30)
    assert page.status_code == 200 and "has no approval ballot yet" in page.text
    assert browser().get(f"{gateway}/m/idrija/processes/no-such-process/approval-votes", timeout=30).status_code == 404
