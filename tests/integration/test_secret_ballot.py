"""The secret ballot against an observer of the bus and the public API (issue 8, finding 2): while a
vote is open with live_results=false nothing readable outside the voting service moves with the
choices, no event joins a voter to a choice by content, time or order, and voters still hear the
outcome because they are subscribed from the participant list published at the close."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from services.dlq import read_dead_letters
from services.settings import get_settings
from tests.support import (
    Client,
    eligible_residents,
    new_process,
    outboxes_drained,
    poll,
    published_for_voting,
    register,
    staff_of,
    user_id,
)

CHOICES = ("yes", "no", "abstain")
CHOICE_KEYS = {"choice", "choices", "replaced", "selections", "tally", "live_tally"}


@pytest.fixture(scope="module")
def people(gateway):
    staff = staff_of(gateway)
    process = new_process(staff, phases=[{"code": "workshops", "starts_on": "2020-01-01", "ends_on": "2099-12-31"}])
    return {"staff": staff, "author": register(gateway), "voters": eligible_residents(gateway, 6),
            "anonymous": Client(gateway), "process": process["id"]}


def now() -> datetime:
    return datetime.now(timezone.utc)


def bus(topics: list[str] | None = None) -> list[dict]:
    """Every event on every platform topic (or on `topics`), dead letters left out."""
    if topics is None:
        consumer = KafkaConsumer(bootstrap_servers=get_settings().kafka_bootstrap, group_id=None)
        try:
            topics = sorted(t for t in consumer.topics() if not t.endswith(".dlq"))
        finally:
            consumer.close()
    found = []
    for topic in topics:
        for message in read_dead_letters(topic):
            try:
                found.append({**json.loads(message.value), "_topic": topic, "_offset": message.offset})
            except ValueError:
                continue
    return found


def consumed_everything(service: str, topic: str) -> bool:
    """True once `service`'s worker has committed past every message now on `topic` (its outbox
    producers drained first), so whatever it would make of those messages is visible."""
    if not outboxes_drained():
        return False
    ends: dict[int, int] = {}
    for message in read_dead_letters(topic):
        ends[message.partition] = max(ends.get(message.partition, 0), message.offset + 1)
    admin = KafkaAdminClient(bootstrap_servers=get_settings().kafka_bootstrap)
    try:
        group = f"{service}-worker"
        asked = [TopicPartition(topic, partition) for partition in ends]
        committed = {tp.partition: meta.offset for tp, meta in admin.list_group_offsets({group: asked})[group].items()}
    finally:
        admin.close()
    return all(committed.get(partition, -1) >= end for partition, end in ends.items())


def bears_choice(value) -> bool:
    """Whether an event payload holds anything that is, or is counted from, a choice."""
    if isinstance(value, dict):
        return any(key in CHOICE_KEYS or bears_choice(item) for key, item in value.items())
    if isinstance(value, list):
        return any(bears_choice(item) for item in value)
    return isinstance(value, str) and value in CHOICES


def names_anyone(event: dict, identities: set[str]) -> set[str]:
    text = json.dumps(event)
    return {identity for identity in identities if identity in text}


def occurred(event: dict) -> datetime:
    return datetime.fromisoformat(event["occurred_at"])


def ordered(people, ids: tuple[str, ...]) -> list[str]:
    listing = people["anonymous"].get("/proposals", params={"process_id": people["process"],
                                                            "sort": "most_supported", "per_page": 50})
    assert listing.status_code == 200, listing.text
    return [p["id"] for p in listing.json()["items"] if p["id"] in ids]


def test_ballots_move_no_count_that_anyone_outside_voting_can_read(people):
    staff, author, voters, anonymous = people["staff"], people["author"], people["voters"], people["anonymous"]
    voted = published_for_voting(author, staff, competence="municipal", process_id=people["process"])
    supported = published_for_voting(author, staff, competence="municipal", process_id=people["process"])
    # Supports are endorsements before the vote: one support puts `supported` first.
    assert voters[5].put(f"/proposals/{supported}/support").status_code == 200
    poll(lambda: anonymous.get(f"/proposals/{supported}").json()["supports"] == 1, 30,
         "the proposals service to count the endorsement")
    assert ordered(people, (supported, voted)) == [supported, voted]
    assert staff.post(f"/proposals/{voted}/voting/open").status_code == 200

    def public_view() -> dict:
        proposal = anonymous.get(f"/proposals/{voted}").json()
        return {"supports": proposal["supports"], "order": ordered(people, (supported, voted)),
                "results": anonymous.get(f"/proposals/{voted}/results").json(),
                "author's results": author.get(f"/proposals/{voted}/results").json()}

    views = []
    for choice in ("yes", "no", "abstain"):  # the same three voters, all of one mind, then of another
        for voter in voters[:3]:
            assert voter.put(f"/proposals/{voted}/ballot", json={"choice": choice}).status_code == 200
        poll(lambda: consumed_everything("proposals", get_settings().topic("voting")), 90,
             "the proposals worker to read every voting event")  # generous: a loaded machine is slow
        views.append(public_view())
    assert views[0]["supports"] == 0 and views[0]["order"] == [supported, voted]
    assert views[0]["results"]["live_tally"] is None and views[0]["results"]["tally"] is None
    assert views[0] == views[1] == views[2], "something public moved with the choices"
    assert staff.get(f"/proposals/{voted}/results").json()["live_tally"] == {"yes": 0, "no": 0, "abstain": 3}


def test_no_event_joins_a_voter_to_a_choice_by_content_time_or_order(people):
    staff, voters = people["staff"], people["voters"]
    pid = published_for_voting(people["author"], staff, competence="municipal")
    ids = {user_id(v): v for v in voters[:5]}
    identities = set(ids) | {v.email for v in voters[:5]}
    opened_at = now()
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    requests_made = []  # (time, voter id, choice): what an observer of the requests could know
    for n, (voter_id, voter) in enumerate(ids.items()):
        choice = CHOICES[n % 3]
        requests_made.append((now(), voter_id, choice))
        assert voter.put(f"/proposals/{pid}/ballot", json={"choice": choice}).status_code == 200
    requests_made.append((now(), user_id(voters[0]), "no"))  # one changes their mind
    assert voters[0].put(f"/proposals/{pid}/ballot", json={"choice": "no"}).status_code == 200
    poll(outboxes_drained, 30, "every service's outbox to be published")
    closing_at = now()
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200

    everything = poll(lambda: (found := bus()) and any(
        e["event_type"] == "voting.conclusion_reached" and e["aggregate_id"] == pid for e in found) and found,
        30, "the conclusion on the bus")
    open_window = [e for e in everything if opened_at <= occurred(e) < closing_at]
    assert any(e["event_type"] == "voting.voting_opened" and e["aggregate_id"] == pid for e in open_window)

    # The join an observer of the bus would try: a choice-bearing event next to (or in the order of)
    # a ballot, and a voter-naming event at the same moment.
    with_choice = [e for e in open_window if bears_choice(e["payload"])]
    naming = [(e, names_anyone(e, identities)) for e in open_window if names_anyone(e, identities)]
    by_time = {(who, c["payload"].get("choice")) for e, named in naming for c in with_choice
               for who in named if abs((occurred(e) - occurred(c)).total_seconds()) < 1.0}
    by_order = [c["payload"].get("choice") for c in with_choice] == [choice for _, _, choice in requests_made]
    assert not with_choice, f"choices travel on the bus while the vote is open: {with_choice[:3]}"
    assert not naming, f"voters are named on the bus while the vote is open: {naming[:3]}"
    assert not by_time and not by_order

    # At the close: the participants, sorted, in events of their own that carry no choice.
    listed = [e for e in everything if e["event_type"] == "voting.participants_listed" and e["aggregate_id"] == pid]
    assert listed and all(occurred(e) >= closing_at and not bears_choice(e["payload"]) for e in listed)
    participants = [who for e in sorted(listed, key=lambda e: e["payload"]["part"]) for who in e["payload"]["participants"]]
    assert participants == sorted(ids)
    for event in everything:  # no event of this vote, ever, carries a choice next to a voter
        if event["aggregate_id"] == pid and names_anyone(event, identities):
            assert not bears_choice(event["payload"]), event
    assert not [e for e in everything if e["event_type"] in ("voting.vote_cast", "voting.approval_cast")
                and occurred(e) >= opened_at]


def test_voters_follow_the_proposal_from_the_close_and_hear_the_outcome(people):
    staff, voters = people["staff"], people["voters"]
    pid = published_for_voting(people["author"], staff, competence="municipal")
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    for voter, choice in zip(voters[:4], ("yes", "yes", "no", "abstain"), strict=True):
        assert voter.put(f"/proposals/{pid}/ballot", json={"choice": choice}).status_code == 200
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200

    def heard(voter) -> list[dict]:
        items = voter.get("/inbox", params={"per_page": 100, "lang": "en"}).json()["items"]
        return [i for i in items if i["proposal_id"] == pid and i["kind"] == "voting.conclusion_reached.followers"]

    for voter in voters[:4]:
        item = poll(lambda voter=voter: heard(voter), 30, "the outcome in the voter's inbox")
        assert len(item) == 1 and "adopted" in item[0]["body"] and "yes 2" in item[0]["body"], item
    assert not heard(voters[4]), "only those who voted are subscribed"
    kinds = poll(lambda: (k := [i["kind"] for i in people["author"].get("/inbox", params={"per_page": 100}).json()[
        "items"] if i["proposal_id"] == pid]) and "voting.conclusion_reached" in k and k, 30, "the author's news")
    assert "voting.conclusion_reached.followers" not in kinds  # the author hears it once, as the author
