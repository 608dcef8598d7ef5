"""The moderation desk over the public API: queue and counts, decisions with reasons, request
changes, hide/restore, reports and auto-hide, bulk actions, duplicates, blocking, overdue flags,
and an audit log that holds every decision exactly once (JSON and CSV)."""
from __future__ import annotations

import csv
import io

import pytest

from tests.support import (Client, known_verified, make_eligible, new_process, outbox_types, poll, register,
                           staff_of, user_id)

BODY = {"summary": "A proposal for the moderation desk tests.", "theme": "housing", "language": "sl"}


@pytest.fixture(scope="module")
def desk(gateway):
    """Litija, with settings of its own: auto-hide after 2 reports, a 0-hour target, justified overrides."""
    staff = staff_of(gateway, "litija")
    answer = staff.request("PATCH", "/moderation/settings", json={
        "auto_hide_reports": 2, "target_hours": 0, "require_justification": True})
    assert answer.status_code == 200, answer.text
    process = new_process(staff)["id"]
    # Verified residents: only their reports count toward auto-hide (issue 8).
    residents = make_eligible(gateway, [register(gateway, municipality="litija") for _ in range(3)], "litija")
    poll(lambda: known_verified([user_id(r) for r in residents]), 30, "proposals to know the residents verified")
    return {"staff": staff, "process": process, "author": register(gateway, municipality="litija"),
            "residents": residents,
            "idrija_staff": staff_of(gateway), "decisions": []}


def submit(desk, title, author=None):
    answer = (author or desk["author"]).post("/proposals", json={**BODY, "title": title,
                                                                 "process_id": desk["process"]})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def decide(desk, pid, expect=200, **body):
    answer = desk["staff"].post(f"/proposals/{pid}/moderation", json=body)
    assert answer.status_code == expect, answer.text
    if expect == 200:
        desk["decisions"].append((pid, body["decision"]))
    return answer.json()


def test_residents_and_other_municipalities_cannot_use_the_desk(desk):
    pid = submit(desk, "Nobody else may moderate this")
    resident, idrija = desk["residents"][0], desk["idrija_staff"]
    for method, path, body in [("GET", "/moderation/queue", None), ("POST", "/moderation/bulk",
                               {"action": "approve", "ids": [pid]}), ("GET", "/moderation/audit", None),
                               ("GET", "/moderation/audit.csv", None), ("PUT", "/moderation/blocks/u1",
                               {"reason": "spam"}), ("PATCH", "/moderation/settings", {"target_hours": 5}),
                               ("POST", f"/proposals/{pid}/moderation", {"decision": "reject", "reason": "no"})]:
        assert resident.request(method, path, json=body).status_code == 403, path
    # Idrija's staff cannot see or touch Litija's proposal: it looks like it does not exist.
    assert idrija.post(f"/proposals/{pid}/moderation", json={"decision": "reject", "reason": "x"}).status_code == 404
    assert idrija.post(f"/proposals/{pid}/duplicate", json={"of": pid}).status_code == 404
    assert idrija.get(f"/proposals/{pid}").status_code == 404
    bulk = idrija.post("/moderation/bulk", json={"action": "reject", "ids": [pid], "reason": "x"}).json()
    assert bulk["results"] == [{"id": pid, "ok": False, "code": "not_found", "detail": "No such proposal."}]
    assert pid not in [p["id"] for p in idrija.get("/moderation/queue").json()["items"]]
    assert Client(desk["staff"].base.rsplit("/api/v1", 1)[0]).get("/moderation/queue").status_code == 401


def test_decisions_with_reasons_overrides_and_the_queue(desk):
    staff = desk["staff"]
    reasons = {r["code"] for r in Client(staff.base.rsplit("/api/v1", 1)[0]).get("/moderation/reasons").json()}
    assert {"spam", "offensive", "duplicate"} <= reasons
    a, b, c = (submit(desk, f"Queue item number {n}") for n in (1, 2, 3))
    queue = staff.get("/moderation/queue").json()
    assert {a, b, c} <= {p["id"] for p in queue["items"]}
    assert all(p["overdue"] for p in queue["items"]) and queue["overdue"] >= 3 and queue["target_hours"] == 0
    assert queue["counts"]["pending"] == queue["total"]
    # Housing defaults to shared: national needs a justification in Litija.
    refused = decide(desk, a, 422, decision="approve", competence="national")
    assert "justification" in refused["errors"]["json"]
    approved = decide(desk, a, decision="approve", competence="national",
                      justification="Housing funds for this come from the state.")
    assert approved["competence"] == "national" and approved["competence_justification"].startswith("Housing")
    rejected = decide(desk, b, decision="reject", reason_code="spam", reason="Link farm.")
    assert rejected["rejection_reason"] == "Spam or advertising. Link farm." and rejected["reason_code"] == "spam"
    assert decide(desk, c, 422, decision="reject", reason_code="rude")["errors"]["json"]["reason_code"]
    assert decide(desk, c, 422, decision="request_changes")["errors"]["json"]["note"]
    decide(desk, c, decision="request_changes", note="Please add where and when.")
    decide(desk, c, 409, decision="approve", competence="shared")
    counts = staff.get("/moderation/queue", params={"status": "published"}).json()["counts"]
    assert counts["published"] >= 1 and counts["rejected"] >= 1 and counts["changes_requested"] >= 1
    assert outbox_types(a)[-1] == "proposals.proposal_published"
    assert outbox_types(c)[-1] == "proposals.changes_requested"


def test_reports_hide_a_proposal_after_the_threshold_and_staff_restore_it(desk):
    pid = submit(desk, "A proposal residents will report")
    decide(desk, pid, decision="approve", competence="shared")
    first, second, third = desk["residents"]
    assert first.post(f"/proposals/{pid}/reports", json={"reason": "Insulting wording."}).json() == {
        "proposal_id": pid, "reports": 1, "status": "published"}
    assert first.post(f"/proposals/{pid}/reports", json={"reason": "Again."}).status_code == 409
    assert first.post(f"/proposals/{pid}/reports", json={"reason": ""}).status_code == 422
    answer = second.post(f"/proposals/{pid}/reports", json={"reason": "Hateful."})
    assert answer.status_code == 201 and answer.json()["status"] == "hidden"
    # Hidden: gone for readers, still there for its author and staff; no more reports.
    assert third.get(f"/proposals/{pid}").status_code == 404
    assert desk["author"].get(f"/proposals/{pid}").json()["status"] == "hidden"
    assert third.post(f"/proposals/{pid}/reports", json={"reason": "Late."}).status_code == 404
    reported = desk["staff"].get("/moderation/queue", params={"status": "hidden", "reported": "true"}).json()
    assert pid in [p["id"] for p in reported["items"]] and reported["reported"] >= 1
    restored = decide(desk, pid, decision="restore", reason="Reviewed: within the rules.")
    assert restored["status"] == "published" and restored["reports"] == 0
    hidden = decide(desk, pid, decision="hide", reason_code="offensive")
    assert hidden["hidden_reason"] == "Offensive or discriminatory content."
    assert outbox_types(pid) == ["proposals.proposal_submitted", "proposals.proposal_published",
                                 "proposals.proposal_reported", "proposals.proposal_reported",
                                 "proposals.proposal_hidden", "proposals.proposal_restored",
                                 "proposals.proposal_hidden"]
    desk["decisions"].append((pid, "auto_hide"))


def test_bulk_actions_report_each_item(desk):
    ids = [submit(desk, f"Bulk item number {n}") for n in range(4)]
    answer = desk["staff"].post("/moderation/bulk", json={"action": "approve", "ids": ids[:3] + ["no-such-id"]})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["succeeded"] == 3 and result["failed"] == 1
    assert [r["status"] for r in result["results"][:3]] == ["published"] * 3
    assert result["results"][3]["code"] == "not_found"
    again = desk["staff"].post("/moderation/bulk", json={"action": "reject", "ids": [ids[0], ids[3]],
                                                         "reason_code": "off_topic"}).json()
    assert [(r["ok"], r.get("code")) for r in again["results"]] == [(False, "wrong_state"), (True, None)]
    hidden = desk["staff"].post("/moderation/bulk", json={"action": "hide", "ids": ids[1:3],
                                                          "reason_code": "spam"}).json()
    assert hidden["succeeded"] == 2
    assert desk["staff"].post("/moderation/bulk", json={"action": "approve", "ids": []}).status_code == 422
    assert desk["staff"].post("/moderation/bulk", json={"action": "delete", "ids": ids}).status_code == 422
    desk["decisions"] += [(i, "approve") for i in ids[:3]] + [(ids[3], "reject")] + [(i, "hide") for i in ids[1:3]]


def test_duplicates_are_closed_and_linked(desk):
    original, copy = submit(desk, "Original idea for the park"), submit(desk, "Same idea for the park")
    marked = desk["staff"].post(f"/proposals/{copy}/duplicate", json={"of": original})
    assert marked.status_code == 200 and marked.json()["status"] == "duplicate"
    assert marked.json()["duplicate_of"] == original
    assert copy in desk["staff"].get(f"/proposals/{original}").json()["duplicates"]
    assert desk["staff"].post(f"/proposals/{copy}/duplicate", json={"of": original}).status_code == 409
    assert desk["staff"].post(f"/proposals/{original}/duplicate", json={"of": original}).status_code == 422
    desk["decisions"].append((copy, "mark_duplicate"))


def test_a_blocked_user_cannot_contribute_until_unblocked(desk, gateway):
    spammer = register(gateway, municipality="litija")
    pid = submit(desk, "Before the block", author=spammer)
    user_id = desk["staff"].get(f"/proposals/{pid}").json()["author_id"]
    assert desk["staff"].put(f"/moderation/blocks/{user_id}", json={"reason": "Repeated spam."}).status_code == 200
    assert desk["staff"].put(f"/moderation/blocks/{user_id}", json={"reason": "Again."}).status_code == 409
    assert user_id in [b["user_id"] for b in desk["staff"].get("/moderation/blocks").json()]
    refused = spammer.post("/proposals", json={**BODY, "title": "After the block", "process_id": desk["process"]})
    assert refused.status_code == 403 and refused.json()["code"] == "blocked"
    assert spammer.request("PATCH", f"/proposals/{pid}", json={"title": "Edited while blocked"}).status_code == 403
    assert desk["staff"].request("DELETE", f"/moderation/blocks/{user_id}").json()["blocked"] is False
    assert desk["staff"].request("DELETE", f"/moderation/blocks/{user_id}").status_code == 404
    submit(desk, "After the unblock", author=spammer)
    desk["decisions"] += [(user_id, "block"), (user_id, "unblock")]


def test_the_audit_log_holds_every_decision_once_and_exports_as_csv(desk):
    staff = desk["staff"]
    log = staff.get("/moderation/audit", params={"per_page": 500}).json()
    # Only this desk's subjects: other tests of the session (the authorisation walk) decide in the
    # same municipality too.
    ours = {subject for subject, _action in desk["decisions"]}
    entries = [e for e in log["items"] if e["action"] != "change_settings" and e["subject"] in ours]
    assert sorted((e["subject"], e["action"]) for e in entries) == sorted(desk["decisions"])
    assert len({e["id"] for e in log["items"]}) == len(log["items"]) == log["total"]
    auto = [e for e in entries if e["action"] == "auto_hide"]
    assert auto[0]["actor_role"] == "system" and auto[0]["from_status"] == "published"
    rejected = [e for e in entries if e["action"] == "reject"][0]
    assert rejected["reason"] and rejected["actor_role"] == "staff" and rejected["actor_id"]
    answer = staff.get("/moderation/audit.csv")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert sorted(r["id"] for r in rows) == sorted(e["id"] for e in log["items"])
    assert {"at", "action", "subject", "actor_id", "reason"} <= set(rows[0])
    only = staff.get("/moderation/audit", params={"action": "auto_hide", "per_page": 500}).json()
    assert [e["subject"] for e in only["items"] if e["subject"] in ours] == [auto[0]["subject"]]
    assert all(e["action"] == "auto_hide" for e in only["items"])
    # Idrija's audit log does not show Litija's decisions.
    idrija = desk["idrija_staff"].get("/moderation/audit", params={"per_page": 500}).json()["items"]
    assert not {e["id"] for e in idrija} & {e["id"] for e in log["items"]}


def test_authors_and_staff_are_told_by_mail_and_inbox(desk):
    """Requested changes reach the author; the pending summary reaches the municipality's staff."""
    staff = desk["staff"]
    pid = submit(desk, "Tell me what to change")
    decide(desk, pid, decision="request_changes", note="Add a place and a date.")
    items = lambda client: client.get("/inbox", params={"per_page": 100}).json()["items"]
    kinds = lambda client: [i["kind"] for i in items(client)]
    poll(lambda: any(i["kind"] == "proposals.changes_requested" and "Add a place and a date." in i["body"]
                     for i in items(desk["author"])), 30, "the author's changes-requested note")
    submit(desk, "Waiting in the queue for the summary")  # a summary is only sent while items wait
    assert staff.request("PATCH", "/moderation/settings", json={"summary_hours": 0.001}).status_code == 200
    try:
        poll(lambda: "proposals.pending_summary" in kinds(staff), 30, "the staff's pending summary")
    finally:
        staff.request("PATCH", "/moderation/settings", json={"summary_hours": 24})
    summary = [i for i in staff.get("/inbox").json()["items"] if i["kind"] == "proposals.pending_summary"][0]
    assert summary["subject"] == "Predlogi čakajo na moderiranje"  # the staff member reads Slovene
    desk["decisions"].append((pid, "request_changes"))
