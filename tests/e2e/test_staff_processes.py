"""The staff console's processes section through its pages, as a browser without JavaScript: a
process created with phases and themes through the form and seen on the public processes page, an
edit, a phase that ends before it starts (a 422 at that date, everything typed kept), a municipal
theme defined, the process's voting rules set and read back, a world café's outcome recorded, and
the dashboard's cards."""
from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta

import pytest

from services.calendar import local_today
from tests import support
from tests.e2e.test_pages import post_form, sign_in

BASE = "/m/idrija/staff"


@pytest.fixture(scope="module")
def staff(gateway):
    client = support.staff_of(gateway)
    return client, sign_in(gateway, client.email)


def day(offset: int) -> str:
    return (local_today() + timedelta(days=offset)).isoformat()  # the municipalities' calendar


def rows(*phases: tuple[str, int, int]) -> dict:
    """Form fields of phase rows: (code, start offset, end offset) from today."""
    fields = {"phase_rows": str(len(phases) + 1)}
    for number, (code, starts, ends) in enumerate(phases, start=1):
        fields.update({f"phase-{number}-code": code, f"phase-{number}-starts_on": day(starts),
                       f"phase-{number}-ends_on": day(ends)})
    return fields


def test_a_process_created_through_the_form_is_on_the_public_processes_page(gateway, staff):
    client, session = staff
    title = f"Skupaj v Idriji {uuid.uuid4().hex[:6]}"
    form_url = f"{gateway}{BASE}/processes/new?lang=en"
    page = session.get(form_url, timeout=30)
    assert page.status_code == 200 and "<h1>New process" in page.text
    assert 'name="phase-1-code"' in page.text and 'value="employment"' in page.text
    answer = post_form(session, form_url, form_url, **{
        "title-sl": title, "title-en": f"Together in Idrija {title[-6:]}", "description-en": "Six months, four themes.",
        "id": "", "themes": ["employment", "housing"],
        **rows(("focus_groups", -10, -1), ("deliberation", 0, 20), ("vote", 21, 30))})
    assert answer.status_code == 200, answer.text
    assert re.search(rf"{BASE}/processes/idrija-skupaj-v-idriji-[0-9a-f]+$", answer.url), answer.url
    assert "The process was created." in answer.text
    pid = answer.url.rsplit("/", 1)[1]
    stored = client.get(f"/processes/{pid}").json()
    assert stored["title"] == {"sl": title, "en": f"Together in Idrija {title[-6:]}"}
    assert [p["code"] for p in stored["phases"]] == ["focus_groups", "deliberation", "vote"]
    assert stored["themes"] == {"employment": "national", "housing": "shared"}
    assert stored["current_phase"] == "deliberation"
    public = session.get(f"{gateway}/m/idrija/processes?lang=en", timeout=30).text
    assert f"Together in Idrija {title[-6:]}" in public
    listed = session.get(f"{gateway}{BASE}/processes?lang=en", timeout=30).text
    assert f"/m/idrija/staff/processes/{pid}/edit" in listed and f"/m/idrija/processes/{pid}" in listed


def test_staff_edit_a_process_s_title_phases_and_themes(gateway, staff):
    client, session = staff
    process = support.new_process(client, themes=["employment"], phases=[
        {"code": "workshops", "starts_on": day(-5), "ends_on": day(5)}])
    url = f"{gateway}{BASE}/processes/{process['id']}/edit?lang=en"
    page = session.get(url, timeout=30).text
    assert f'value="{day(-5)}"' in page and 'value="Test process"' in page
    answer = post_form(session, url, url, **{"title-sl": "Spremenjeni proces", "title-en": "Changed process",
                                             "themes": ["employment", "culture"],
                                             **rows(("workshops", -5, 5), ("vote", 6, 12))})
    assert answer.status_code == 200 and "Your changes were saved." in answer.text, answer.text
    stored = client.get(f"/processes/{process['id']}").json()
    assert stored["title"] == {"sl": "Spremenjeni proces", "en": "Changed process"}
    assert [(p["code"], p["ends_on"]) for p in stored["phases"]] == [("workshops", day(5)), ("vote", day(12))]
    assert stored["themes"] == {"employment": "national", "culture": "municipal"}


def test_a_phase_ending_before_it_starts_is_refused_at_that_date_with_what_was_typed_kept(gateway, staff):
    _, session = staff
    form_url = f"{gateway}{BASE}/processes/new?lang=en"
    title = f"Backwards phases {uuid.uuid4().hex[:6]}"
    answer = post_form(session, form_url, form_url, **{
        "title-sl": title, "description-sl": "Opis, ki ostane.", "themes": ["health"],
        **rows(("focus_groups", 0, 5), ("vote", 20, 10))})
    assert answer.status_code == 422, answer.text
    text = html.unescape(answer.text)
    assert "Phase 2 ends before it starts" in text
    assert re.search(r'id="phase-2-ends_on-error"', answer.text)
    assert re.search(r'<input id="phase-2-ends_on"[^>]*aria-describedby="phase-2-ends_on-error"', answer.text)
    assert 'href="#phase-2-ends_on"' in answer.text  # the error summary leads to the date
    assert f'value="{title}"' in text and "Opis, ki ostane." in text
    assert f'value="{day(20)}"' in answer.text and f'value="{day(10)}"' in answer.text
    assert re.search(r'value="health"[^>]*checked', answer.text)


def test_staff_define_a_municipal_theme_and_a_process_can_use_it(gateway, staff):
    client, session = staff
    code = f"roads-{uuid.uuid4().hex[:6]}"
    url = f"{gateway}{BASE}/themes?lang=en"
    answer = post_form(session, url, url, **{"labels-sl": "Ceste in poti", "labels-en": "Roads and paths",
                                             "code": code, "competence": "municipal"})
    assert answer.status_code == 200 and "was defined" in answer.text, answer.text
    themes = {t["code"]: t for t in client.get("/themes").json()}
    assert themes[code]["labels"] == {"sl": "Ceste in poti", "en": "Roads and paths"}
    assert themes[code]["competence"] == "municipal" and themes[code]["national"] is False
    assert f'value="{code}"' in session.get(f"{gateway}{BASE}/processes/new?lang=en", timeout=30).text
    again = post_form(session, url, url, **{"labels-sl": "Ceste", "code": code, "competence": "shared"})
    assert again.status_code == 422 and 'id="code-error"' in again.text


def test_staff_set_a_process_s_voting_rules_and_read_them_back(gateway, staff):
    client, session = staff
    process = support.new_process(client)
    url = f"{gateway}{BASE}/processes/{process['id']}/voting-rules?lang=en"
    answer = post_form(session, url, url, quorum_ballots="25", quorum_percent="5,5", majority="qualified",
                       qualified_percent="60", tie="adopted", live_results="yes", support_threshold="40")
    assert answer.status_code == 200 and "The voting rules were saved." in answer.text, answer.text
    rules = client.get(f"/processes/{process['id']}/voting-rules").json()
    assert (rules["quorum_ballots"], rules["quorum_percent"], rules["majority"], rules["tie"]) == (
        25, 5.5, "qualified", "adopted")
    assert rules["qualified_fraction"] == pytest.approx(0.6) and rules["live_results"] is True
    assert rules["support_threshold"] == 40
    again = session.get(url, timeout=30).text
    assert 'value="25"' in again and 'value="60"' in again and 'value="5.5"' in again
    assert re.search(r'value="qualified"[^>]*checked', again)
    wrong = post_form(session, url, url, quorum_ballots="many", quorum_percent="0", majority="simple",
                      qualified_percent="40", tie="rejected", support_threshold="0")
    assert wrong.status_code == 422
    assert 'id="quorum_ballots-error"' in wrong.text and 'value="many"' in wrong.text


def test_staff_record_a_world_cafe_s_outcome_and_see_it_in_the_records(gateway, staff):
    client, session = staff
    process = support.new_process(client, themes=["housing", "culture"])
    url = f"{gateway}{BASE}/processes/{process['id']}/workshops/new?lang=en"
    title = f"Open tenancy advice evenings {uuid.uuid4().hex[:6]}"
    answer = post_form(session, url, url, kind="world_cafe", facilitator="Center za socialno delo Idrija",
                       held_on=day(-3), participants="22", languages=["sl", "uk"], title=title,
                       summary="Monthly evenings where tenants learn their rights.", theme="housing",
                       language="en", competence="")
    assert answer.status_code == 200, answer.text
    assert "was recorded and published" in html.unescape(answer.text)
    assert 'value="Center za socialno delo Idrija"' in answer.text  # kept for the next outcome
    found = client.get("/proposals", params={"process_id": process["id"], "author_kind": "workshop"}).json()
    [record] = found["items"]
    assert record["title"] == title and record["status"] == "published" and record["competence"] == "shared"
    assert record["workshop"]["kind"] == "world_cafe" and record["workshop"]["participants"] == 22
    assert record["workshop"]["languages"] == ["sl", "uk"] and record["workshop"]["held_on"] == day(-3)
    listing = session.get(f"{gateway}{BASE}/processes/{process['id']}/workshops?lang=en", timeout=30).text
    assert title in listing and "World café" in listing and "Українська" in listing
    missing = post_form(session, url, url, kind="focus_group", facilitator="", held_on=day(-1), participants="0",
                        title="Too short", summary="Nothing much here.", theme="housing", language="en")
    assert missing.status_code == 422
    assert 'id="facilitator-error"' in missing.text and 'id="participants-error"' in missing.text


def test_the_dashboard_names_phases_changing_this_week_and_processes_to_set_up(gateway, staff):
    client, session = staff
    soon = support.new_process(client, title={"en": f"Ending soon {uuid.uuid4().hex[:6]}"},
                               phases=[{"code": "deliberation", "starts_on": day(-10), "ends_on": day(3)}])
    unplanned = support.new_process(client, title={"en": f"Unplanned {uuid.uuid4().hex[:6]}"})
    dashboard = html.unescape(session.get(f"{gateway}{BASE}?lang=en", timeout=30).text)
    listing = html.unescape(session.get(f"{gateway}{BASE}/processes?state=soon&lang=en", timeout=30).text)
    named = f"{soon['title']['en']}: Deliberation ends in 3 days"
    assert named in dashboard or ("more phase change" in dashboard and soon["title"]["en"] in listing)
    assert re.search(r"processes? needs? setting up", dashboard)
    setup = html.unescape(session.get(f"{gateway}{BASE}/processes?state=setup&lang=en", timeout=30).text)
    assert unplanned["title"]["en"] in setup and soon["title"]["en"] not in setup
