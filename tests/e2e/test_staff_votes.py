"""The staff console's votes section on the web: the list by state with the windows, scheduling a
window in local time (and an invalid one refused at its field, as typed), a vote's own rules,
opening and closing after a confirmation, the result with the recount check, approval votes set up,
opened and closed from the console, and the dashboard's cards."""
from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests import support
from tests.e2e.test_pages import browser as support_browser
from tests.e2e.test_pages import csrf_of, post_form, sign_in
from tests.support import poll

LJUBLJANA = ZoneInfo("Europe/Ljubljana")


@pytest.fixture(scope="module")
def desk(gateway):
    staff_api = support.staff_of(gateway)
    session = sign_in(gateway, staff_api.email)
    session.get(f"{gateway}/m/idrija/staff?lang=en", timeout=30)  # staff accounts speak Slovene by default
    process = support.new_process(staff_api)["id"]
    return {"api": staff_api, "web": session, "process": process, "author": support.register(gateway),
            "base": f"{gateway}/m/idrija/staff/votes", "gateway": gateway}


def published(desk, title: str, competence: str = "municipal") -> str:
    return support.published_for_voting(desk["author"], desk["api"], competence=competence,
                                        process_id=desk["process"], title=title)


def local(moment: datetime) -> str:
    """What a datetime-local field holds for this moment in Ljubljana."""
    return moment.astimezone(LJUBLJANA).strftime("%Y-%m-%dT%H:%M")


def results(desk, pid: str) -> dict:
    return desk["api"].get(f"/proposals/{pid}/results").json()


def test_the_list_shows_a_scheduled_and_an_open_vote_with_their_times(desk):
    scheduled, running = published(desk, "Scheduled library hours vote"), published(desk, "Open bus pass vote")
    now = datetime.now(UTC).replace(microsecond=0)
    assert desk["api"].put(f"/proposals/{scheduled}/voting/window", json={
        "opens_at": (now + timedelta(days=2)).isoformat(), "closes_at": (now + timedelta(days=3)).isoformat()}
    ).status_code == 200
    assert desk["api"].post(f"/proposals/{running}/voting/open").status_code == 200
    assert desk["api"].put(f"/proposals/{running}/voting/window", json={
        "closes_at": (now + timedelta(hours=5)).isoformat()}).status_code == 200

    page = desk["web"].get(f"{desk['base']}?state=scheduled&process={desk['process']}", timeout=30)
    assert page.status_code == 200 and "Scheduled library hours vote" in page.text
    assert f'datetime="{(now + timedelta(days=2)).astimezone(LJUBLJANA).isoformat()}"' in page.text
    assert f'datetime="{(now + timedelta(days=3)).astimezone(LJUBLJANA).isoformat()}"' in page.text
    assert "Open bus pass vote" not in page.text
    assert f'href="/m/idrija/staff/votes/{scheduled}"' in page.text

    page = desk["web"].get(f"{desk['base']}?state=open&process={desk['process']}", timeout=30)
    assert "Open bus pass vote" in page.text and "Ballots so far" in page.text
    assert f'datetime="{(now + timedelta(hours=5)).astimezone(LJUBLJANA).isoformat()}"' in page.text
    assert '<caption>Open now</caption>' in page.text and 'aria-current="page">Open now' in page.text

    soon = desk["web"].get(f"{desk['base']}?state=scheduled&soon=1&process={desk['process']}", timeout=30)
    assert "Scheduled library hours vote" not in soon.text and "No votes match these filters" in soon.text
    dashboard = desk["web"].get(f"{desk['gateway']}/m/idrija/staff", timeout=30).text
    assert "votes close within 24 hours" in dashboard or "vote closes within 24 hours" in dashboard
    assert "/m/idrija/staff/votes?state=open&amp;soon=1" in dashboard


def test_a_window_scheduled_through_the_form_reads_back_from_the_api(desk):
    pid = published(desk, "Window through the form")
    opens = (datetime.now(UTC) + timedelta(days=4)).replace(second=0, microsecond=0)
    closes = opens + timedelta(days=2, hours=3)
    page_url = f"{desk['base']}/{pid}"
    answer = post_form(desk["web"], f"{page_url}/window", page_url, opens_at=local(opens), closes_at=local(closes))
    assert answer.status_code == 200 and "The voting window was saved." in answer.text
    found = results(desk, pid)
    assert datetime.fromisoformat(found["opens_at"]).replace(tzinfo=UTC) == opens
    assert datetime.fromisoformat(found["closes_at"]).replace(tzinfo=UTC) == closes
    assert f'value="{local(opens)}"' in answer.text  # shown back in local time


def test_an_invalid_window_is_a_422_at_the_field_with_the_typed_values_kept(desk):
    pid = published(desk, "Window closing before it opens")
    opens = datetime.now(UTC) + timedelta(days=3)
    page_url = f"{desk['base']}/{pid}"
    answer = post_form(desk["web"], f"{page_url}/window", page_url, opens_at=local(opens),
                       closes_at=local(opens - timedelta(hours=2)))
    assert answer.status_code == 422
    assert 'id="closes_at-error"' in answer.text and "The closing time must be after the opening time." in answer.text
    assert 'aria-describedby="closes_at-hint closes_at-error" aria-invalid="true"' in answer.text
    assert f'value="{local(opens)}"' in answer.text and f'value="{local(opens - timedelta(hours=2))}"' in answer.text
    assert '<a href="#closes_at">' in answer.text  # the error summary links to the field
    assert results(desk, pid)["opens_at"] is None
    garbled = post_form(desk["web"], f"{page_url}/window", page_url, opens_at="next tuesday", closes_at="")
    assert garbled.status_code == 422 and 'id="opens_at-error"' in garbled.text and 'value="next tuesday"' in garbled.text


def test_the_vote_s_own_rules_are_set_and_refused_at_the_field(desk):
    pid = published(desk, "Rules of its own")
    page_url = f"{desk['base']}/{pid}"
    page = desk["web"].get(page_url, timeout=30).text
    assert "The process&#39;s rule:" in page or "The process's rule:" in page
    answer = post_form(desk["web"], f"{page_url}/rules", page_url, quorum_ballots="5", quorum_percent="0",
                       majority="qualified", qualified_percent="75", tie="rejected", support_threshold="0")
    assert answer.status_code == 200 and "The rules of this vote were saved." in answer.text
    rules = results(desk, pid)["rules"]
    assert rules["quorum_ballots"] == 5 and rules["majority"] == "qualified" and rules["qualified_fraction"] == 0.75
    bad = post_form(desk["web"], f"{page_url}/rules", page_url, quorum_ballots="many", quorum_percent="0",
                    majority="simple", qualified_percent="75", tie="rejected", support_threshold="0")
    assert bad.status_code == 422 and 'id="quorum_ballots-error"' in bad.text and 'value="many"' in bad.text
    out_of_range = post_form(desk["web"], f"{page_url}/rules", page_url, quorum_ballots="5", quorum_percent="0",
                             majority="qualified", qualified_percent="30", tie="rejected", support_threshold="0")
    assert out_of_range.status_code == 422 and 'id="qualified_percent-error"' in out_of_range.text
    reset = post_form(desk["web"], f"{page_url}/rules", page_url, reset="yes")
    assert reset.status_code == 200 and results(desk, pid)["rules"]["majority"] == "simple"


def test_open_and_close_with_confirmation_then_the_result_and_the_recount(desk):
    pid = published(desk, "Opened and closed from the console")
    page_url = f"{desk['base']}/{pid}"
    confirm = desk["web"].get(f"{page_url}/open", timeout=30)
    assert confirm.status_code == 200 and "Open the vote now?" in confirm.text and 'name="confirmed"' in confirm.text
    unconfirmed = desk["web"].post(f"{page_url}/open", data={"csrf_token": csrf_of(confirm.text)}, timeout=30)
    assert "Open the vote now?" in unconfirmed.text and results(desk, pid)["status"] == "published"
    opened = desk["web"].post(f"{page_url}/open", data={"csrf_token": csrf_of(confirm.text), "confirmed": "yes"},
                              timeout=30)
    assert opened.status_code == 200 and "Voting is now open." in opened.text
    assert results(desk, pid)["status"] == "open"

    voters = support.eligible_residents(desk["gateway"], 3)
    for voter, choice in zip(voters, ("yes", "yes", "no")):
        assert voter.put(f"/proposals/{pid}/ballot", json={"choice": choice}).status_code == 200
    confirm = desk["web"].get(f"{page_url}/close", timeout=30)
    assert "Closing is final." in confirm.text and "3 ballots have been cast so far." in confirm.text
    closed = desk["web"].post(f"{page_url}/close", data={"csrf_token": csrf_of(confirm.text), "confirmed": "yes"},
                              timeout=90)
    assert closed.status_code == 200 and results(desk, pid)["status"] == "closed"
    assert "<caption>Results of the vote</caption>" in closed.text and "Adopted" in closed.text
    assert "<tr><th scope=\"row\">Yes</th><td>2</td></tr>" in closed.text
    checked = poll(lambda: "The recount matched." in (t := desk["web"].get(page_url, timeout=30).text) and t, 60,
                   "the recount check on the vote's page")
    assert "no ballot was lost or counted twice" in html.unescape(checked)
    again = desk["web"].get(f"{page_url}/close", timeout=30)
    assert "This vote cannot be closed now" in again.text


def test_an_approval_vote_created_opened_and_closed_from_the_console(desk):
    new_url = f"{desk['base']}/approval/new?process={desk['process']}"
    form = desk["web"].get(new_url, timeout=30)
    assert form.status_code == 200 and f'value="{desk["process"]}" selected' in form.text
    refused = post_form(desk["web"], f"{desk['base']}/approval/new", new_url, process_id=desk["process"],
                        title="Only one measure", measures="Language café", max_selections="1")
    assert refused.status_code == 422 and 'id="measures-error"' in refused.text and "Only one measure" in refused.text
    created = post_form(desk["web"], f"{desk['base']}/approval/new", new_url, process_id=desk["process"],
                        title="Which measures first, from the console?", max_selections="2",
                        measures="Language café\nAdvice desk\nWelcome walks\n")
    assert created.status_code == 200 and "The approval vote was set up." in created.text
    aid = created.url.rsplit("/", 1)[1]
    listing = desk["web"].get(f"{desk['base']}/approval?process={desk['process']}", timeout=30).text
    assert f'href="/m/idrija/staff/votes/approval/{aid}"' in listing

    page_url = f"{desk['base']}/approval/{aid}"
    confirm = desk["web"].get(f"{page_url}/open", timeout=30)
    assert "Open the vote now?" in confirm.text
    opened = desk["web"].post(f"{page_url}/open", data={"csrf_token": csrf_of(confirm.text), "confirmed": "yes"},
                              timeout=30)
    assert "Voting is now open." in opened.text and "Running count (staff only)" in opened.text
    vote = desk["api"].get(f"/approval-votes/{aid}").json()
    ids = {o["label"]: o["id"] for o in vote["options"]}
    for voter, chosen in zip(support.eligible_residents(desk["gateway"], 2),
                             (["Advice desk", "Welcome walks"], ["Advice desk"])):
        answer = voter.put(f"/approval-votes/{aid}/ballot", json={"selections": [ids[c] for c in chosen]})
        assert answer.status_code == 200, answer.text
    confirm = desk["web"].get(f"{page_url}/close", timeout=30)
    assert "Closing is final." in confirm.text
    closed = desk["web"].post(f"{page_url}/close", data={"csrf_token": csrf_of(confirm.text), "confirmed": "yes"},
                              timeout=90)
    assert "<h2 id=\"ranking-title\">Ranking</h2>" in closed.text
    ranking = closed.text[closed.text.index('id="ranking-title"'):]
    assert ranking.index("Advice desk") < ranking.index("Welcome walks") < ranking.index("Language café")
    poll(lambda: "The recount matched." in desk["web"].get(page_url, timeout=30).text, 60,
         "the approval vote's recount check")


def test_the_proposal_page_s_open_button_still_works(desk):
    pid = published(desk, "Opened from the proposal page")
    page_url = f"{desk['gateway']}/m/idrija/proposals/{pid}"
    opened = post_form(desk["web"], f"{page_url}/voting/open", page_url)
    assert opened.status_code == 200 and results(desk, pid)["status"] == "open"


def test_an_unknown_vote_is_a_404_for_staff(desk):
    assert desk["web"].get(f"{desk['base']}/0123456789abcdef0123456789abcdef", timeout=30).status_code == 404
    assert desk["web"].get(f"{desk['base']}/approval/0123456789abcdef0123456789abcdef", timeout=30).status_code == 404


def test_a_signed_out_form_is_sent_to_sign_in(gateway):
    """The console's forms, sent by a signed-out visitor (with a valid form token), lead to sign-in."""
    visitor = support_browser()
    token = csrf_of(visitor.get(f"{gateway}/login?lang=en", timeout=30).text)
    for path in ("0123456789abcdef0123456789abcdef/window", "0123456789abcdef0123456789abcdef/close", "approval/new"):
        answer = visitor.post(f"{gateway}/m/idrija/staff/votes/{path}", data={"csrf_token": token, "confirmed": "yes"},
                              allow_redirects=False, timeout=30)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], (path, answer.status_code)
