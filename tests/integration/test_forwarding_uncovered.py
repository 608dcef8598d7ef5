"""Nothing adopted is lost (issue 8, finding 3): conclusions on training, family and rights reach the
bodies competent for them, and a conclusion on a theme no institution covers waits in the staff's
review queue, with an alert, until staff choose where it goes."""
from __future__ import annotations

import uuid

import pymongo

from services.bus import make_producer
from services.events import SYSTEM, encode, make_event
from services.settings import get_settings
from tests.support import adopted, new_process, outbox_types, poll, staff_of, wait_status


def test_training_family_and_rights_conclusions_make_dossiers(gateway):
    staff = staff_of(gateway)
    process = new_process(staff, themes=["training", "family", "rights"])["id"]
    expected = {"training": ["mvi", "zrsz"], "family": ["mddsz"], "rights": ["mnz", "uoim"]}
    concluded = {}
    for theme, competence in (("training", "shared"), ("family", "shared"), ("rights", "national")):
        author, pid = adopted(gateway, staff, theme, competence, process_id=process)
        assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
        concluded[theme] = (author, pid)
    for theme, (author, pid) in concluded.items():
        for code in expected[theme]:
            wait_status(author, pid, code, "acknowledged")
        status = staff.get(f"/proposals/{pid}/forwarding").json()
        assert [d["institution_id"] for d in status["dossiers"]] == expected[theme]
        assert status["routing"] == "routed"


def _settings_db(service: str):
    settings = get_settings()
    client = pymongo.MongoClient(settings.mongo_uri)
    return client, client[settings.database(service)]


def _queue(staff) -> list[str]:
    """The staff's routing queue, through the gateway (GET /forwarding/routing-queue)."""
    answer = staff.get("/forwarding/routing-queue")
    assert answer.status_code == 200, answer.text
    return [c["proposal_id"] for c in answer.json()["conclusions"]]


def test_a_conclusion_no_institution_covers_waits_for_staff_with_an_alert(platform, gateway):
    staff = staff_of(gateway, alerts=True)
    code = f"t-{uuid.uuid4().hex[:8]}"
    theme = staff.post("/themes", json={"code": code, "labels": {"sl": "Pravice Romov", "en": "Roma rights"},
                                        "competence": "national"})
    assert theme.status_code == 201, theme.text
    process = new_process(staff, themes=[code, "health"])["id"]
    author, pid = adopted(gateway, staff, code, "national", process_id=process)
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200

    waiting = poll(lambda: (s := staff.get(f"/proposals/{pid}/forwarding").json()).get("routing") == "needs_routing"
                   and s, 30, "the conclusion in the review queue")
    assert waiting["dossiers"] == []
    assert author.get(f"/proposals/{pid}/forwarding").json()["routing"] == "needs_routing"
    alert = poll(lambda: [i for i in staff.get("/inbox", params={"per_page": 100}).json()["items"]
                          if i["proposal_id"] == pid and i["kind"] == "forwarding.routing_needed"], 30,
                 "the staff alert")
    assert len(alert) == 1 and code in alert[0]["body"]
    assert pid in _queue(staff)

    # Redelivered, or replayed under a new event id: still one conclusion, one alert, no dossier.
    client, voting_db = _settings_db("voting")
    with client:
        original = voting_db["outbox"].find_one({"key": pid, "event.event_type": "voting.conclusion_reached"})["event"]
    replay = make_event("voting.conclusion_reached", municipality="idrija", aggregate_id=pid, actor=SYSTEM,
                        payload=original["payload"], correlation_id=original["correlation_id"])
    producer = make_producer()
    for event in (original, original, replay):
        producer.send(get_settings().topic("voting"), key=pid.encode(), value=encode(event))
    producer.flush()
    producer.close()
    client, forwarding_db = _settings_db("forwarding")
    with client:
        poll(lambda: forwarding_db["processed_events"].find_one(
            {"_id": f"forwarding.conclusions:{replay['event_id']}"}), 30, "forwarding to read the replay")
    assert outbox_types(pid, "forwarding").count("forwarding.routing_needed") == 1
    assert staff.get(f"/proposals/{pid}/forwarding").json()["dossiers"] == []

    # Staff route it through the review endpoint; the dossier goes out and the queue empties.
    assert author.post(f"/proposals/{pid}/forwarding/review", json={"institutions": ["uoim"]}).status_code == 403
    routed = staff.post(f"/proposals/{pid}/forwarding/review",
                        json={"institutions": ["uoim"], "justification": "Rights of Roma migrants: UOIM."})
    assert routed.status_code == 200, routed.text
    assert routed.json()["routing"] == "routed" and pid not in _queue(staff)
    dossier = wait_status(author, pid, "uoim", "acknowledged")
    document = staff.get(f"/dossiers/{dossier['id']}/json").json()["dossier"]
    assert document["proposal"]["theme"] == code and document["competence_justification"].startswith("Rights")
    again = staff.post(f"/proposals/{pid}/forwarding/review", json={"institutions": ["mz"]})
    assert again.status_code == 409
