"""The staff's view of a municipality's dossiers through the gateway: the list (GET /dossiers) filtered by
status, overdue and failing, institution and reply date, paged, with counts; one dossier whole (GET
/dossiers/{id}), for its municipality's staff only; and the review queue holding conclusions that wait
for review with the institutions the routing proposes."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support import (
    advance_clock,
    awaiting_review,
    forwarded_to,
    operator_of,
    register,
    staff_of,
    wait_status,
)


def _manual(staff) -> str:
    code = f"l-{uuid.uuid4().hex[:8]}"
    answer = operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "channel": "manual",
        "postal_address": "Ljubljana", "deadline_days": 10})
    assert answer.status_code == 201, answer.text
    return code


def _ids(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [d["id"] for d in answer.json()["items"]]


@pytest.mark.moves_clock
def test_the_list_filters_pages_and_counts(gateway):
    staff = staff_of(gateway)
    code = _manual(staff)
    _a, pid_one, [first] = forwarded_to(gateway, staff, [code])
    _a, pid_two, [second] = forwarded_to(gateway, staff, [code])

    listed = staff.get("/dossiers", params={"institution_id": code})
    assert _ids(listed) == [second["id"], first["id"]]  # newest first
    body = listed.json()
    assert body["total"] == 2 and body["counts"]["awaiting_manual"] == 2 and body["counts"]["sent"] == 0
    item = body["items"][0]
    assert item["proposal_id"] == pid_two and item["title"] and item["channel"] == "manual"
    assert item["status"] == "awaiting_manual" and item["overdue"] is False and "document" not in item
    assert _ids(staff.get("/dossiers", params={"institution_id": code, "per_page": 1, "page": 2})) == [first["id"]]
    assert _ids(staff.get("/dossiers", params={"institution_id": code, "sort": "oldest"}))[0] == first["id"]
    of_one = staff.get("/dossiers", params={"proposal_id": pid_one}).json()["items"]  # with the one withdrawn at review
    assert {(d["institution_id"], d["status"]) for d in of_one} == {(code, "awaiting_manual"), ("mz", "cancelled")}

    assert staff.post(f"/dossiers/{first['id']}/sent", json={"note": "by post"}).status_code == 200
    assert _ids(staff.get("/dossiers", params={"institution_id": code, "status": "sent"})) == [first["id"]]
    assert _ids(staff.get("/dossiers", params={"institution_id": code, "status": "overdue"})) == []
    advance_clock(staff, 11 * 86400)  # past the institution's ten days
    overdue = staff.get("/dossiers", params={"institution_id": code, "status": "overdue"})
    assert _ids(overdue) == [first["id"]] and overdue.json()["items"][0]["overdue"] is True
    assert overdue.json()["counts"]["overdue"] == 1

    reply = staff.post(f"/dossiers/{first['id']}/replies", json={"status": "accepted", "text": "Yes, by post."})
    assert reply.status_code == 201, reply.text
    since = (datetime.now(UTC) - timedelta(days=7)).isoformat()
    replied = staff.get("/dossiers", params={"institution_id": code, "replied_since": since})
    assert _ids(replied) == [first["id"]] and replied.json()["items"][0]["reply_via"] == "post"
    assert staff.get("/dossiers", params={"status": "nonsense"}).status_code == 422


def test_one_dossier_whole_for_its_municipality_s_staff_only(gateway):
    staff = staff_of(gateway)
    _author, pid, [dossier] = forwarded_to(gateway, staff, ["mddsz"], note="The whole dossier.")
    wait_status(staff, pid, "mddsz", "acknowledged", 60)
    whole = staff.get(f"/dossiers/{dossier['id']}")
    assert whole.status_code == 200, whole.text
    body = whole.json()
    assert body["id"] == dossier["id"] and body["status"] == "acknowledged" and body["outcome"] == "adopted"
    assert body["tally"]["yes"] == 1 and body["staff_note"] == "The whole dossier."
    assert body["document"]["dossier_id"] == dossier["id"] and [e["step"] for e in body["timeline"]][-1] == "acknowledged"
    assert register(gateway).get(f"/dossiers/{dossier['id']}").status_code == 403
    litija = staff_of(gateway, "litija")
    assert litija.get(f"/dossiers/{dossier['id']}", params={"municipality": "idrija"}).status_code == 404
    assert litija.get(f"/dossiers/{dossier['id']}").status_code == 404  # at home it is not theirs either
    assert dossier["id"] not in _ids(litija.get("/dossiers", params={"per_page": 100}))


def test_the_review_queue_holds_conclusions_waiting_for_review(gateway):
    staff = staff_of(gateway)
    _author, pid, _ = awaiting_review(gateway, staff, theme="health")
    queue = staff.get("/forwarding/routing-queue").json()["conclusions"]
    held = next(c for c in queue if c["proposal_id"] == pid)
    assert held["proposed"] == ["mz"] and held["routing"] == "routed"
    assert held["outcome"] == "adopted" and held["tally"]["yes"] == 1
    assert staff.post(f"/proposals/{pid}/forwarding/review", json={"institutions": ["mz"]}).status_code == 200
    assert pid not in [c["proposal_id"] for c in staff.get("/forwarding/routing-queue").json()["conclusions"]]
