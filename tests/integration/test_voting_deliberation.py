"""Deliberation on the real platform: threads, alignment, edits, deletion, hiding, reports, endorsements."""
from __future__ import annotations

import pytest
import requests

from tests.support import published_for_voting, register, staff_of


@pytest.fixture(scope="module")
def room(gateway):
    staff, author = staff_of(gateway), register(gateway)
    residents = [register(gateway) for _ in range(4)]
    pid = published_for_voting(author, staff, competence="municipal")
    return {"staff": staff, "author": author, "residents": residents, "pid": pid}


def test_threaded_arguments_with_counts_and_the_most_endorsed_on_each_side(room, gateway):
    a, b, c, d = room["residents"]
    pid = room["pid"]
    post = lambda who, **body: who.post(f"/proposals/{pid}/comments", json=body)
    pro = post(a, body="It helps newcomers find work.", alignment="for")
    assert pro.status_code == 201, pro.text
    pro2 = post(b, body="Libraries are open anyway.", alignment="for").json()
    con = post(c, body="Volunteers are scarce.", alignment="against").json()
    reply = post(d, body="I would volunteer.", alignment="neutral", parent_id=con["id"])
    assert reply.status_code == 201 and reply.json()["depth"] == 1 and reply.json()["parent_id"] == con["id"]
    assert post(d, body="x", alignment="sideways").status_code == 422
    assert post(d, body="x", alignment="for", parent_id="nope").status_code == 404
    assert requests.post(f"{gateway}/api/v1/m/idrija/proposals/{pid}/comments",
                         json={"body": "x", "alignment": "for"}, timeout=10).status_code == 401

    for who in (c, d):
        assert who.put(f"/comments/{pro2['id']}/endorsement").json()["endorsements"] in (1, 2)
    assert c.put(f"/comments/{pro2['id']}/endorsement").json()["endorsements"] == 2  # once per person
    assert b.put(f"/comments/{pro2['id']}/endorsement").status_code == 409  # not one's own
    assert d.put(f"/comments/{con['id']}/endorsement").json()["endorsements"] == 1
    assert d.delete(f"/comments/{con['id']}/endorsement").json()["endorsements"] == 0

    thread = requests.get(f"{gateway}/api/v1/m/idrija/proposals/{pid}/comments", timeout=10).json()
    assert thread["counts"] == {"for": 2, "against": 1, "neutral": 1}
    assert [c_["id"] for c_ in thread["top"]["for"]] == [pro2["id"], pro.json()["id"]]
    assert [c_["id"] for c_ in thread["top"]["against"]] == [con["id"]]
    assert [c_["id"] for c_ in thread["comments"]][-1] == reply.json()["id"]


def test_edit_delete_hide_and_report(room, gateway):
    a, b, _, _ = room["residents"]
    pid, staff = room["pid"], room["staff"]
    mine = a.post(f"/proposals/{pid}/comments", json={"body": "Frist draft", "alignment": "neutral"}).json()
    edited = a.patch(f"/comments/{mine['id']}", json={"body": "First draft", "alignment": "for"})
    assert edited.status_code == 200 and edited.json()["body"] == "First draft" and edited.json()["edited_at"]
    assert b.patch(f"/comments/{mine['id']}", json={"body": "mine now"}).status_code == 403

    reported = b.post(f"/comments/{mine['id']}/reports", json={"reason": "off topic"})
    assert reported.status_code == 201 and reported.json()["reports"] == 1
    assert b.post(f"/comments/{mine['id']}/reports", json={"reason": "again"}).status_code == 409
    assert b.post(f"/comments/{mine['id']}/hide", json={"reason": "x"}).status_code == 403
    assert staff.post(f"/comments/{mine['id']}/hide", json={"reason": " "}).status_code == 422
    hidden = staff.post(f"/comments/{mine['id']}/hide", json={"reason": "Personal attack"})
    assert hidden.status_code == 200 and hidden.json()["status"] == "hidden"
    shown = next(c for c in requests.get(f"{gateway}/api/v1/m/idrija/proposals/{pid}/comments", timeout=10)
                 .json()["comments"] if c["id"] == mine["id"])
    assert shown["body"] is None and shown["hidden_reason"] == "Personal attack"
    assert a.patch(f"/comments/{mine['id']}", json={"body": "sneaky"}).status_code == 409

    gone = b.post(f"/proposals/{pid}/comments", json={"body": "Oops", "alignment": "against"}).json()
    assert a.delete(f"/comments/{gone['id']}").status_code == 403
    deleted = b.delete(f"/comments/{gone['id']}")
    assert deleted.status_code == 200 and deleted.json()["status"] == "deleted" and deleted.json()["body"] is None
    assert b.delete(f"/comments/{gone['id']}").status_code == 409


def test_the_thread_comes_a_page_of_root_comments_at_a_time_with_their_replies(gateway):
    staff, author = staff_of(gateway), register(gateway)
    residents = [register(gateway) for _ in range(3)]
    pid = published_for_voting(author, staff, competence="municipal")
    roots = []
    for n in range(7):
        answer = residents[n % 3].post(f"/proposals/{pid}/comments",
                                       json={"body": f"Argument {n}.", "alignment": ("for", "against")[n % 2]})
        assert answer.status_code == 201, answer.text
        roots.append(answer.json()["id"])
    late = residents[1].post(f"/proposals/{pid}/comments",  # a late reply to the first comment
                             json={"body": "Agreed.", "alignment": "neutral", "parent_id": roots[0]}).json()
    assert residents[0].put(f"/comments/{roots[5]}/endorsement").status_code == 200
    url = f"{gateway}/api/v1/m/idrija/proposals/{pid}/comments"

    first = requests.get(url, params={"per_page": 3}, timeout=10).json()
    assert [c["id"] for c in first["comments"]] == roots[:3] + [late["id"]]
    assert (first["page"], first["pages"], first["threads"], first["total"]) == (1, 3, 7, 8)
    assert first["counts"] == {"for": 4, "against": 3, "neutral": 1}  # of the whole discussion
    assert [c["author_number"] for c in first["comments"]] == [1, 2, 3, 2]
    last = requests.get(url, params={"per_page": 3, "page": 3}, timeout=10).json()
    assert [c["id"] for c in last["comments"]] == [roots[6]] and last["comments"][0]["author_number"] == 1
    assert requests.get(url, params={"per_page": 3, "around": late["id"], "page": 3},
                        timeout=10).json()["page"] == 1
    assert requests.get(url, params={"per_page": 3, "page": 99}, timeout=10).json()["page"] == 3
    top = first["top"]["against"][0]
    assert (top["id"], top["page"]) == (roots[5], 2)  # the strongest argument, on the second page
    assert requests.get(url, params={"per_page": 0}, timeout=10).status_code == 422
