"""What a vote concluded, on the proposal's page: the results with the rules that gave them
(turnout, quorum, majority; a chart as SVG with its text alternative and the table), and what
happened next: each dossier's timeline, its due date, overdue, and the institution's reply."""
from __future__ import annotations

import re

import pytest

from tests import support
from tests.e2e.test_pages import browser
from tests.support import advance_clock, poll


@pytest.fixture(scope="module")
def forwarded(gateway):
    staff = support.staff_of(gateway)
    _author, pid, dossiers = support.forwarded_to(gateway, staff, ["mddsz", "zrsz"])
    return {"staff": staff, "pid": pid, "dossiers": {d["institution_id"]: d for d in dossiers},
            "page": f"{gateway}/m/idrija/proposals/{pid}?lang=en"}


def test_the_results_say_the_turnout_the_quorum_and_the_rules_and_draw_an_accessible_chart(forwarded):
    html = browser().get(forwarded["page"], timeout=30).text
    assert "Outcome:" in html and "Adopted" in html
    assert re.search(r"1 of \d+ eligible residents? voted", html)
    assert "Quorum</dt><dd>met" in html
    assert "simple majority: more yes than no" in html and "a tie is rejected" in html
    svg = re.search(r'<svg role="img" aria-labelledby="chart-title chart-desc".*?</svg>', html, re.S)
    assert svg, "the chart is an SVG image with a title and a description"
    assert re.search(r"<desc id=\"chart-desc\">Yes: 1; No: 0; Abstain: 0</desc>", svg.group(0))
    assert "<table class=\"results\">" in html  # the data beside the chart


def test_each_dossier_shows_its_timeline_due_date_and_the_reply_that_came(forwarded, gateway):
    staff, pid = forwarded["staff"], forwarded["pid"]
    html = poll(lambda: (t := browser().get(forwarded["page"], timeout=30).text).count("Reply due") == 2 and t,
                60, "both dossiers sent, with their due dates")  # the dispatchers send them after the review
    assert "What happened next" in html and "sent to 2 national institutions" in html
    assert html.count('class="dossier"') == 2
    assert "Approved by municipal staff" in html and "Reply due" in html and "Overdue" not in html

    dossier = forwarded["dossiers"]["zrsz"]
    answer = staff.post(f"/dossiers/{dossier['id']}/replies",
                        json={"status": "partly", "text": "We will fund two of the three courses."})
    assert answer.status_code == 201, answer.text
    html = poll(lambda: (t := browser().get(forwarded["page"], timeout=30).text)
                and "The institution replied" in t and t, 30, "the reply on the page")
    assert "The institution&#39;s reply: Partly accepted" in html or "The institution's reply: Partly accepted" in html
    assert "This reply came by post" in html and "We will fund two of the three courses." in html


@pytest.mark.moves_clock
def test_a_reply_past_its_due_date_is_marked_overdue(forwarded):
    poll(lambda: browser().get(forwarded["page"], timeout=30).text.count("Reply due") >= 1, 60,
         "a dossier sent, with its due date")  # (run apart from the tests above: see moves_clock)
    advance_clock(forwarded["staff"], 120 * 86400)  # well past every institution's deadline
    html = poll(lambda: (t := browser().get(forwarded["page"], timeout=30).text) and "Reply overdue" in t and t,
                60, "the overdue step in the timeline")
    assert '<strong class="badge badge-overdue">Overdue</strong>' in html
