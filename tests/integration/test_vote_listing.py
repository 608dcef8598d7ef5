"""The staff's list of votes (list_votes) on the real platform: each state with its window and counts,
filters and paging, the day's attention counts, the recount check kept after the close, and nothing
that says who voted; other roles and municipalities see none of it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.support import (eligible_residents, new_process, poll, published_for_voting, register, staff_of,
                           user_id)


@pytest.fixture(scope="module")
def desk(gateway):
    staff = staff_of(gateway)
    process = new_process(staff)["id"]
    author = register(gateway)
    ids = {name: published_for_voting(author, staff, competence="municipal", process_id=process,
                                      title=f"Listing {name} vote") for name in ("ready", "scheduled", "open", "closed")}
    now = datetime.now(timezone.utc)
    window = staff.put(f"/proposals/{ids['scheduled']}/voting/window", json={
        "opens_at": (now + timedelta(hours=3)).isoformat(), "closes_at": (now + timedelta(hours=30)).isoformat()})
    assert window.status_code == 200, window.text
    voters = eligible_residents(gateway, 3)
    for name in ("open", "closed"):
        assert staff.post(f"/proposals/{ids[name]}/voting/open").status_code == 200
    assert staff.put(f"/proposals/{ids['open']}/voting/window", json={
        "closes_at": (now + timedelta(hours=2)).isoformat()}).status_code == 200
    for voter, choice in zip(voters, ("yes", "no", "yes")):
        assert voter.put(f"/proposals/{ids['open']}/ballot", json={"choice": choice}).status_code == 200
        assert voter.put(f"/proposals/{ids['closed']}/ballot", json={"choice": choice}).status_code == 200
    assert staff.post(f"/proposals/{ids['closed']}/voting/close").status_code == 200
    return {"staff": staff, "process": process, "ids": ids, "voter": voters[0]}


def listed(desk, **params) -> dict:
    answer = desk["staff"].get("/votes", params={"process_id": desk["process"], **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_each_state_lists_its_votes_with_window_and_counts(desk):
    ids = desk["ids"]
    for state in ("ready", "scheduled", "open", "closed"):
        page = listed(desk, state=state)
        assert [item["proposal_id"] for item in page["items"]] == [ids[state]], state
        assert page["total"] == 1 and page["items"][0]["state"] == state
        assert page["counts"][state] >= 1
    scheduled = listed(desk, state="scheduled")["items"][0]
    assert scheduled["opens_at"] and scheduled["closes_at"] and scheduled["ballots"] is None
    running = listed(desk, state="open")["items"][0]
    assert running["ballots"] == 3 and running["closes_at"] and running["opened_at"]
    closed = listed(desk, state="closed")["items"][0]
    assert closed["ballots"] == 3 and closed["outcome"] == "adopted" and closed["closed_at"]


def test_no_field_of_the_list_says_who_voted(desk):
    answer = desk["staff"].get("/votes", params={"process_id": desk["process"], "state": "open"})
    assert user_id(desk["voter"]) not in answer.text
    assert set(answer.json()["items"][0]) == {
        "proposal_id", "title", "process_id", "theme", "competence", "status", "state", "opens_at", "closes_at",
        "opened_at", "closed_at", "ballots", "electorate", "supports", "outcome", "tally_check"}


def test_the_window_filter_and_the_attention_counts(desk):
    soon = (datetime.now(timezone.utc) + timedelta(hours=24)).isoformat()
    assert [i["proposal_id"] for i in listed(desk, state="scheduled", before=soon)["items"]] == [desk["ids"]["scheduled"]]
    assert [i["proposal_id"] for i in listed(desk, state="open", before=soon)["items"]] == [desk["ids"]["open"]]
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    assert listed(desk, state="scheduled", before=later)["items"] == []
    attention = listed(desk)["attention"]
    assert attention["opening_soon"] >= 1 and attention["closing_soon"] >= 1


def test_paging_and_filters(desk):
    page = desk["staff"].get("/votes", params={"state": "ready", "per_page": 1, "page": 1}).json()
    assert len(page["items"]) == 1 and page["total"] >= 1 and page["per_page"] == 1
    assert listed(desk, state="ready", competence="national")["items"] == []
    bad = desk["staff"].get("/votes", params={"state": "everything"})
    assert bad.status_code == 422 and "state" in bad.json()["errors"]["query"]


def test_the_recount_check_is_kept_after_the_close(desk):
    pid = desk["ids"]["closed"]
    result = poll(lambda: (r := desk["staff"].get(f"/proposals/{pid}/results").json())["tally_check"] and r,
                  60, "the worker's tally check to be recorded")
    assert result["tally_check"] == "matched"
    assert [i["proposal_id"] for i in listed(desk, state="closed", tally_check="matched")["items"]] == [pid]
    assert listed(desk, state="closed", tally_check="mismatch")["items"] == []


def test_only_the_municipality_s_staff_list_votes(desk, gateway):
    assert desk["voter"].get("/votes").status_code == 403
    litija = staff_of(gateway, "litija").get("/votes", params={"process_id": desk["process"], "state": "closed"})
    assert litija.status_code == 200 and litija.json()["items"] == []
