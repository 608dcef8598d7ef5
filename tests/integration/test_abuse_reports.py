"""Issue 8, finding 7: throwaway accounts must not be able to hide a proposal.

Reports from accounts that are not verified residents are recorded and shown to staff, but only
verified residents' reports count toward auto-hide; reporting is limited per account and hour;
the moderation queue names who reported, whether they were verified, when and why."""
from __future__ import annotations

import pytest

from tests.support import known_verified, make_eligible, new_process, poll, register, staff_of, user_id

REASON = "Insulting wording."


@pytest.fixture(scope="module")
def desk(gateway):
    """Idrija's desk with the default threshold (three reports), and a process of these tests' own."""
    staff = staff_of(gateway)
    answer = staff.request("PATCH", "/moderation/settings", json={"auto_hide_reports": 3})
    assert answer.status_code == 200, answer.text
    return {"staff": staff, "process": new_process(staff)["id"], "author": register(gateway)}


def published(desk, title: str) -> str:
    proposal = desk["author"].submit(title=title, process_id=desk["process"])
    answer = desk["staff"].post(f"/proposals/{proposal['id']}/moderation", json={
        "decision": "approve", "competence": proposal["default_competence"]})
    assert answer.status_code == 200, answer.text
    return proposal["id"]


def reported_item(desk, pid: str) -> dict:
    queue = desk["staff"].get("/moderation/queue", params={
        "status": "published", "reported": "true", "process_id": desk["process"], "per_page": 100})
    assert queue.status_code == 200, queue.text
    return next(item for item in queue.json()["items"] if item["id"] == pid)


def test_three_fresh_accounts_do_not_hide_a_proposal_and_staff_see_who_reported(gateway, desk):
    pid = published(desk, "Three throwaway accounts try to hide this")
    throwaways = [register(gateway) for _ in range(3)]
    for n, account in enumerate(throwaways, start=1):
        answer = account.post(f"/proposals/{pid}/reports", json={"reason": f"{REASON} #{n}"})
        assert answer.status_code == 201, answer.text
        assert answer.json()["status"] == "published", "an unverified account's report hid the proposal"
    assert register(gateway).get(f"/proposals/{pid}").json()["status"] == "published"
    item = reported_item(desk, pid)
    assert item["reports"] == 3 and item["verified_reports"] == 0
    reporters = {r["reporter_id"]: r for r in item["reporters"]}
    assert set(reporters) == {user_id(a) for a in throwaways}
    assert all(r["verified"] is False and r["reason"].startswith(REASON) and r["at"] for r in reporters.values())


def test_three_verified_residents_hide_it_and_staff_see_them_as_verified(gateway, desk):
    pid = published(desk, "Three verified residents object to this")
    residents = make_eligible(gateway, [register(gateway) for _ in range(3)])
    ids = [user_id(r) for r in residents]
    poll(lambda: known_verified(ids), 30, "the proposals service to learn that the three are verified")
    first, second, third = residents
    assert first.post(f"/proposals/{pid}/reports", json={"reason": REASON}).json()["status"] == "published"
    assert second.post(f"/proposals/{pid}/reports", json={"reason": REASON}).json()["status"] == "published"
    answer = third.post(f"/proposals/{pid}/reports", json={"reason": REASON})
    assert answer.status_code == 201 and answer.json()["status"] == "hidden", answer.text
    queue = desk["staff"].get("/moderation/queue", params={"status": "hidden", "reported": "true",
                                                         "process_id": desk["process"]}).json()
    item = next(i for i in queue["items"] if i["id"] == pid)
    assert item["verified_reports"] == 3
    assert {r["reporter_id"]: r["verified"] for r in item["reporters"]} == dict.fromkeys(ids, True)


def test_the_eleventh_report_within_an_hour_is_refused_with_429(gateway, desk):
    reporter = register(gateway)
    pids = [published(desk, f"Reported by one busy account, number {n}") for n in range(11)]
    for pid in pids[:10]:
        answer = reporter.post(f"/proposals/{pid}/reports", json={"reason": REASON})
        assert answer.status_code == 201, answer.text
    refused = reporter.post(f"/proposals/{pids[10]}/reports", json={"reason": REASON})
    assert refused.status_code == 429, refused.text
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "too_many_attempts"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    # The limit is the reporter's own: another resident still reports that proposal.
    assert register(gateway).post(f"/proposals/{pids[10]}/reports", json={"reason": REASON}).status_code == 201
