"""The demo story (services/demo, what `civic run` tells after starting): told to the session's platform
through the gateway, Idrija's pages come alive for a newcomer, and a second telling adds nothing.

The session's platform does not get the story by itself; this module tells it. The story gives the
demo process phases and a description, and adds its own proposals, people and votes. Afterwards the
module gives the process back the phases and description it had, so that later tests find the demo
process as the seed left it; the story's proposals stay, under their own titles (other tests make
and look for their own)."""
from __future__ import annotations

import re
import time
from datetime import date

import pytest

from services.cli import open_demo_accounts
from services.demo import content, tell_story
from tests import support
from tests.e2e.test_pages import browser

STAFF = ("staff@idrija.si", "demo-password-1")
WORKSHOPS = [w["key"] for w in content.WORKSHOPS]


def find(staff: support.Client, title: str) -> dict | None:
    listed = staff.get("/proposals", params={"q": title, "process_id": content.PROCESS, "per_page": 100}).json()
    return next((p for p in listed["items"] if p["title"] == title), None)


def page(url: str) -> str:
    answer = browser("en").get(url, timeout=30)
    assert answer.status_code == 200, answer.text[-500:]
    return answer.text


@pytest.fixture(scope="module")
def story(gateway):
    staff = support.login(gateway, *STAFF)
    before = staff.get(f"/processes/{content.PROCESS}").json()
    lines: list[str] = []
    started = time.monotonic()
    told = tell_story(gateway, open_demo_accounts, say=lines.append)
    seconds = time.monotonic() - started
    print("\n" + "\n".join(lines) + f"\n(told in {seconds:.1f}s)")
    found = {key: find(staff, title) for key, title in content.TITLES.items()}
    yield {"staff": staff, "told": told, "lines": lines, "seconds": seconds, "found": found,
           "ids": {key: p["id"] for key, p in found.items() if p}}
    put_back = staff.patch(f"/processes/{content.PROCESS}",
                           json={"phases": before["phases"], "description": before["description"]})
    assert put_back.status_code == 200, put_back.text


def test_the_story_is_told_in_numbered_steps_and_says_how_long_it_took(story):
    assert story["told"] is True
    steps = [line for line in story["lines"] if re.match(r"\s+\[\s*\d+/\d+\] ", line)]
    assert len(steps) == 11 and steps[-1].lstrip().startswith("[11/11]"), story["lines"]
    assert re.search(r"The story is told in \d+\.\ds", story["lines"][-1])
    assert all(story["found"].values()), [key for key, p in story["found"].items() if not p]
    assert story["seconds"] < 120  # about 20-45 s on the shared 2-core machine


def test_the_list_page_shows_proposals_in_several_languages(story, gateway):
    text = page(f"{gateway}/m/idrija/?lang=en&process={content.PROCESS}")
    shown = dict(re.findall(r'<h2 lang="([a-z]{2})" dir="auto"><a [^>]*>([^<]+)</a>', text))
    assert {"sl", "en", "uk", "bs", "ar"} <= set(shown), shown
    assert "Наставники для новоприбулих сімей" in text and "Savjetovalište za stanovanje u Idriji" in text


def test_the_process_has_its_phases_around_today(story, gateway):
    process = story["staff"].get(f"/processes/{content.PROCESS}").json()
    assert [p["code"] for p in process["phases"]] == [code for code, _, _ in content.PHASES]
    assert process["current_phase"] == "vote" and process["description"]["en"]
    text = page(f"{gateway}/m/idrija/processes/{content.PROCESS}?lang=en")
    assert text.count("Finished") == 3 and "Happening now" in text and "Coming next" in text


def test_the_workshops_outcomes_carry_their_provenance(story):
    outcomes = [story["found"][key] for key in WORKSHOPS]
    assert {p["theme"] for p in outcomes} == {"employment", "housing", "education", "health", "inclusion"}
    for proposal in outcomes:
        workshop = proposal["workshop"]
        assert proposal["author_kind"] == "workshop" and workshop["kind"] in ("focus_group", "world_cafe")
        assert date.fromisoformat(workshop["held_on"]) < date.today() and workshop["participants"] > 0
    assert {p["phase"] for p in outcomes} == {"focus_groups", "workshops"}


def test_residents_proposals_are_in_every_state_of_moderation(story, gateway):
    status = {key: story["found"][key]["status"] for key in (p["key"] for p in content.PROPOSALS)}
    assert sorted(set(status.values())) == ["changes_requested", "pending", "published", "rejected"], status
    returned, rejected = story["found"]["mothers-course"], story["found"]["parking"]
    assert "kje in kdaj" in returned["moderator_note"] and rejected["rejection_reason"].startswith("Not related")
    anonymous = browser("en").get(f"{gateway}/m/idrija/proposals/{rejected['id']}", timeout=30)
    assert anonymous.status_code == 404  # only its author and staff see a rejected proposal


def test_the_open_vote_has_ballots_and_arguments_for_and_against(story, gateway):
    pid = story["ids"][content.OPEN_VOTE]
    results = story["staff"].get(f"/proposals/{pid}/results").json()
    assert results["status"] == "open" and results["ballots"] == len(content.BALLOTS[content.OPEN_VOTE])
    thread = story["staff"].get(f"/proposals/{pid}/comments").json()
    alignments = [c["alignment"] for c in thread["comments"]]
    assert alignments.count("for") >= 2 and alignments.count("against") >= 2
    assert any(c["parent_id"] for c in thread["comments"]) and sum(c["endorsements"] for c in thread["comments"]) > 5
    text = page(f"{gateway}/m/idrija/proposals/{pid}?lang=en")
    assert "7 votes have been cast so far" in text and "3 arguments for" in text and "2 arguments against" in text


def test_the_forwarded_conclusion_shows_the_ministry_s_reply(story, gateway):
    pid = story["ids"][content.CLOSED[0]]
    replies = story["staff"].get(f"/proposals/{pid}/replies").json()["replies"]
    assert [(r["institution_id"], r["status"]) for r in replies] == [("mddsz", "partly")]
    text = page(f"{gateway}/m/idrija/proposals/{pid}?lang=en")
    assert "The institution replied" in text and "Direktorat za trg dela in zaposlovanje" in text


def test_one_forwarded_conclusion_is_overdue(story, gateway):
    pid = story["ids"][content.OVERDUE]
    dossier = story["staff"].get(f"/proposals/{pid}/forwarding").json()["dossiers"][0]
    assert dossier["institution_id"] == "mz" and dossier["status"] == "acknowledged"
    assert [s["step"] for s in dossier["timeline"]][-1] == "overdue"
    tracked = support.Client(gateway).get("/tracker", params={"municipality": "idrija"}).json()
    ours = [d for c in tracked["conclusions"] for d in c["dossiers"] if d["dossier_id"] == dossier["id"]]
    assert ours and ours[0]["overdue"] is True
    assert '<strong class="badge badge-overdue">Overdue</strong>' in page(f"{gateway}/m/idrija/proposals/{pid}?lang=en")


def test_a_second_telling_adds_nothing(story, gateway):
    staff = story["staff"]

    def counts() -> dict:
        listed = staff.get("/proposals", params={"process_id": content.PROCESS, "per_page": 1}).json()["total"]
        votes = {key: staff.get(f"/proposals/{story['ids'][key]}/results").json()["ballots"] for key in content.BALLOTS}
        thread = staff.get(f"/proposals/{story['ids'][content.OPEN_VOTE]}/comments").json()["comments"]
        register = staff.get("/eligibility/register").json()
        return {"proposals": listed, "ballots": votes, "comments": len(thread), "register": register}

    before = counts()
    lines: list[str] = []
    assert tell_story(gateway, open_demo_accounts, say=lines.append) is False
    assert lines == ["The demo story is already told (Idrija's process has its votes, replies and overdue dossier)."]
    assert counts() == before
