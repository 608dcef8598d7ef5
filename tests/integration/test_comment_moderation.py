"""Staff's side of the deliberation on the real platform: the reported comments by status (waiting, hidden,
kept after review) with their reports but not their reporters, dismissing reports, a new report after
dismissal, staff only and scoped to the municipality; a blocked account cannot comment or report; staff's
decisions on comments reach the moderation audit log, filtered by actor and time."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support import poll, published_for_voting, register, staff_of, user_id


@pytest.fixture(scope="module")
def room(gateway):
    staff, author = staff_of(gateway), register(gateway)
    pid = published_for_voting(register(gateway), staff, competence="municipal")
    return {"staff": staff, "author": author, "pid": pid, "gateway": gateway}


def comment(room, text: str, reports: int) -> dict:
    made = room["author"].post(f"/proposals/{room['pid']}/comments", json={"body": text, "alignment": "for"}).json()
    for number in range(reports):
        assert register(room["gateway"]).post(f"/comments/{made['id']}/reports",
                                              json={"reason": f"reason {number}"}).status_code == 201
    return made


def listed(staff, status: str = "waiting") -> dict:
    items, page = {}, 1
    while True:
        found = staff.get("/moderation/comments", params={"status": status, "page": page, "per_page": 100}).json()
        items.update({item["id"]: item for item in found["items"]})
        if page * 100 >= found["total"]:
            return {"items": items, "counts": found["counts"], "all": found}
        page += 1


def test_reported_comments_most_reported_first_with_reasons_never_reporters(room):
    staff = room["staff"]
    once, thrice = comment(room, "Reported once.", 1), comment(room, "Reported three times.", 3)
    quiet = comment(room, "Nobody minds.", 0)
    found = listed(staff)
    assert quiet["id"] not in found["items"]
    one, three = found["items"][once["id"]], found["items"][thrice["id"]]
    assert three["reports"] == 3 and three["pending_reports"] == 3 and one["reports"] == 1
    assert [r["reason"] for r in three["report_details"]] == ["reason 0", "reason 1", "reason 2"]
    assert all(set(r) == {"reason", "at", "verified"} for r in three["report_details"])  # never who
    assert three["author_id"] == user_id(room["author"]) and three["body"] == "Reported three times."
    assert three["proposal_id"] == room["pid"] and three["proposal_title"]
    order = list(found["items"])
    assert order.index(thrice["id"]) < order.index(once["id"])
    assert found["counts"]["waiting"] >= 2 and found["all"]["oldest_waiting_at"]
    assert staff.get("/moderation/comments", params={"status": "sideways"}).status_code == 422


def test_dismissing_keeps_the_comment_until_a_new_report(room):
    staff = room["staff"]
    made = comment(room, "Harsh but fair.", 2)
    kept = staff.post(f"/comments/{made['id']}/reports/dismissal")
    assert kept.status_code == 200 and kept.json()["status"] == "visible"
    assert staff.post(f"/comments/{made['id']}/reports/dismissal").status_code == 409  # nothing waits
    assert made["id"] not in listed(staff)["items"] and made["id"] in listed(staff, "dismissed")["items"]
    assert register(room["gateway"]).post(f"/comments/{made['id']}/reports", json={"reason": "again"}).ok
    back = listed(staff)["items"][made["id"]]
    assert back["reports"] == 3 and back["pending_reports"] == 1


def test_hidden_comments_keep_their_text_for_staff_and_reach_the_audit_log(room):
    staff = room["staff"]
    made = comment(room, "Something rude.", 1)
    before = datetime.now(UTC) - timedelta(seconds=5)
    assert staff.post(f"/comments/{made['id']}/hide", json={"reason": "Rude"}).status_code == 200
    hidden = listed(staff, "hidden")["items"][made["id"]]
    assert hidden["body"] == "Something rude." and hidden["hidden_reason"] == "Rude"
    assert made["id"] not in listed(staff)["items"]
    assert staff.post(f"/comments/{made['id']}/reports/dismissal").status_code == 409
    me = user_id(staff)
    entries = poll(lambda: staff.get("/moderation/audit", params={"subject": made["id"]}).json()["items"], 60,
                   "the hide in the audit log")
    assert entries[0]["action"] == "hide_comment" and entries[0]["actor_id"] == me and entries[0]["reason"] == "Rude"
    window = {"subject": made["id"], "actor_id": me, "since": before.isoformat()}
    assert staff.get("/moderation/audit", params=window).json()["total"] == 1
    assert staff.get("/moderation/audit", params={**window, "until": before.isoformat()}).json()["total"] == 0
    assert staff.get("/moderation/audit", params={**window, "actor_id": "someone-else"}).json()["total"] == 0


def test_only_the_municipality_s_staff_see_its_reported_comments(room):
    made = comment(room, "Only Idrija's staff read this.", 1)
    assert room["author"].get("/moderation/comments").status_code == 403
    assert room["author"].post(f"/comments/{made['id']}/reports/dismissal").status_code == 403
    litija = staff_of(room["gateway"], "litija")
    assert made["id"] not in listed(litija)["items"]
    assert litija.post(f"/comments/{made['id']}/reports/dismissal").status_code == 404


def test_a_blocked_account_cannot_comment_or_report_until_unblocked(room):
    staff, resident = room["staff"], register(room["gateway"])
    target = comment(room, "Report me if you can.", 0)
    assert staff.put(f"/moderation/blocks/{user_id(resident)}", json={"reason": "Spam"}).status_code == 200
    post = lambda: resident.post(f"/proposals/{room['pid']}/comments", json={"body": "Hello", "alignment": "for"})
    refused = poll(lambda: (lambda a: a.json() if a.status_code == 403 else None)(post()), 60,
                   "voting to learn of the block")
    assert refused["code"] == "blocked"
    assert resident.post(f"/comments/{target['id']}/reports", json={"reason": "x"}).status_code == 403
    assert staff.delete(f"/moderation/blocks/{user_id(resident)}").status_code == 200
    poll(lambda: post().status_code == 201, 60, "voting to learn the block was lifted")
