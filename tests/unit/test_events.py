"""The event envelope and catalogue (the services/events package)."""
from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from marshmallow import Schema, fields

from services import events
from services.events import (SYSTEM, Actor, UnreadableEvent, encode, follow_up, make_event,
                             parse_event)

VOTE_CAST = {"proposal_id": "p-1", "choice": "yes"}
SUBMITTED = {"proposal_id": "p-1", "process_id": "idrija-vkljucujoca", "title": "Več zelenja",
             "summary": "Drevesa ob šoli in žive meje.", "theme": "inclusion", "language": "sl",
             "author_id": "u-1"}


def _event(event_type="voting.vote_cast", payload=None, **kwargs):
    return make_event(event_type, municipality="idrija", aggregate_id="p-1",
                      actor=kwargs.pop("actor", Actor("resident", "u-1")),
                      payload=VOTE_CAST if payload is None else payload, **kwargs)


def _raw(event: dict, **changes) -> bytes:
    data = json.loads(encode(event))
    for key, value in changes.items():
        if value is _DROP:
            del data[key]
        else:
            data[key] = value
    return json.dumps(data, ensure_ascii=False).encode()


_DROP = object()


# --- make_event ----------------------------------------------------------------

def test_make_event_builds_a_full_envelope():
    event = _event()
    assert set(event) == {"event_id", "event_type", "schema_version", "occurred_at", "municipality",
                          "aggregate_id", "correlation_id", "causation_id", "actor", "payload"}
    assert uuid.UUID(event["event_id"]).version == 4
    assert event["event_type"] == "voting.vote_cast"
    assert event["schema_version"] == events.CATALOGUE["voting.vote_cast"][0]
    assert datetime.fromisoformat(event["occurred_at"]).utcoffset().total_seconds() == 0
    assert event["municipality"] == "idrija" and event["aggregate_id"] == "p-1"
    assert event["correlation_id"] == event["event_id"]  # a new story starts with this event
    assert event["causation_id"] is None
    assert event["actor"] == {"role": "resident", "id": "u-1"}
    # The payload is normalised through the schema (defaults filled in).
    assert event["payload"] == {"proposal_id": "p-1", "choice": "yes", "replaced": None}


def test_make_event_gives_each_event_its_own_id():
    assert _event()["event_id"] != _event()["event_id"]


def test_make_event_keeps_a_given_correlation_and_causation():
    event = _event(correlation_id="corr", causation_id="cause")
    assert (event["correlation_id"], event["causation_id"]) == ("corr", "cause")


@pytest.mark.parametrize("event_type", ["voting.no_such_event", "votes.vote_cast", ""])
def test_make_event_rejects_unknown_types(event_type):
    with pytest.raises(KeyError, match="unknown event type"):
        _event(event_type)


@pytest.mark.parametrize("payload,field", [
    ({"choice": "yes"}, "proposal_id"),                                    # missing
    ({"proposal_id": "p-1", "choice": "maybe"}, "choice"),                 # not one of
    ({"proposal_id": "", "choice": "yes"}, "proposal_id"),                 # too short
    ({"proposal_id": "p-1", "choice": "yes", "replaced": "perhaps"}, "replaced"),
    ({"proposal_id": "p-1", "choice": "yes", "voter": "u-1"}, "voter"),    # unknown field
])
def test_make_event_validates_the_payload(payload, field):
    with pytest.raises(ValueError, match="invalid voting.vote_cast payload") as caught:
        _event(payload=payload)
    assert repr(field) in str(caught.value)


def test_make_event_rejects_a_non_strict_integer():
    payload = {"proposal_id": "p-1", "ballots": "3"}
    with pytest.raises(ValueError, match="ballots"):
        _event("voting.voting_closed", payload=payload)


# --- encode / parse_event ---------------------------------------------------------

@pytest.mark.parametrize("event_type,payload", [
    ("voting.vote_cast", VOTE_CAST),
    ("voting.vote_cast", {"proposal_id": "p-1", "choice": "no", "replaced": "yes"}),
    ("proposals.proposal_submitted", SUBMITTED),
    ("voting.conclusion_reached", {
        "proposal_id": "p-1", "process_id": "proc", "title": "Čisti zrak", "outcome": "adopted",
        "tally": {"yes": 2, "no": 1, "abstain": 0}, "ballots": 3, "competence": "national",
        "theme": "health", "author_id": "u-1", "electorate": 30, "turnout": 0.1, "quorum_needed": 1,
        "quorum_met": True, "tie": False, "majority": "simple",
        "rules": {"majority": "simple", "qualified_fraction": 0.75, "tie": "rejected", "quorum_ballots": 1,
                  "quorum_percent": 0.0, "electorate": "register_at_opening"}}),
])
def test_parse_event_round_trips_an_encoded_event(event_type, payload):
    event = _event(event_type, payload=payload, causation_id=str(uuid.uuid4()))
    assert parse_event(encode(event)) == event


def test_encode_keeps_slovene_letters_unescaped():
    raw = encode(_event("proposals.proposal_submitted", payload=SUBMITTED))
    assert "Več zelenja".encode() in raw and "šoli".encode() in raw and "žive".encode() in raw
    assert b"\\u" not in raw


def _reason(raw) -> str:
    with pytest.raises(UnreadableEvent) as caught:
        parse_event(raw)
    return str(caught.value)


@pytest.mark.parametrize("raw", [b"", b"not json", b"{\"event_id\":", b"\xff\xfe\x00garbage", None])
def test_non_json_is_unreadable(raw):
    assert _reason(raw).startswith("not JSON")


@pytest.mark.parametrize("raw", [b"[]", b"[1, 2]", b"\"text\"", b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_unreadable(raw):
    assert _reason(raw) == "not a JSON object"


@pytest.mark.parametrize("field", ["event_id", "event_type", "schema_version", "occurred_at",
                                   "municipality", "aggregate_id", "correlation_id", "actor",
                                   "payload"])
def test_missing_envelope_fields_are_unreadable(field):
    reason = _reason(_raw(_event(), **{field: _DROP}))
    assert reason.startswith("invalid envelope")
    assert repr(field) in reason


@pytest.mark.parametrize("changes,field", [
    ({"event_id": "not-a-uuid"}, "event_id"),
    ({"event_id": "1234"}, "event_id"),
    ({"occurred_at": "2025-05-01T10:00:00"}, "occurred_at"),        # naive
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"schema_version": "1"}, "schema_version"),                    # strict integer
    ({"schema_version": 0}, "schema_version"),
    ({"event_type": "Voting.Vote-Cast"}, "event_type"),
    ({"actor": {"role": "mayor"}}, "actor"),
    ({"payload": "yes"}, "payload"),
    ({"municipality": ""}, "municipality"),
])
def test_invalid_envelope_fields_are_unreadable(changes, field):
    reason = _reason(_raw(_event(), **changes))
    assert reason.startswith("invalid envelope")
    assert repr(field) in reason


def test_bad_uuid_is_unreadable():
    assert "Not a valid UUID" in _reason(_raw(_event(), event_id="zzzz"))


def test_naive_timestamp_is_unreadable():
    assert "UTC offset" in _reason(_raw(_event(), occurred_at="2025-05-01T10:00:00.000"))


def test_timestamp_with_a_non_utc_offset_is_accepted():
    event = parse_event(_raw(_event(), occurred_at="2025-05-01T12:00:00+02:00"))
    assert event["occurred_at"] == "2025-05-01T12:00:00+02:00"


def test_unknown_event_type_is_unreadable():
    assert _reason(_raw(_event(), event_type="voting.vote_burned")) == \
        "unknown event type 'voting.vote_burned'"


def test_a_newer_schema_version_is_unreadable():
    current = events.CATALOGUE["voting.vote_cast"][0]
    reason = _reason(_raw(_event(), schema_version=current + 1))
    assert reason == f"voting.vote_cast schema_version {current + 1} is newer than {current}"


@pytest.mark.parametrize("payload", [
    {"proposal_id": "p-1", "choice": "maybe"},
    {"choice": "yes"},
    {"proposal_id": "p-1", "choice": "yes", "voter": "u-1"},
    {},
])
def test_an_invalid_payload_is_unreadable(payload):
    assert _reason(_raw(_event(), payload=payload)).startswith("invalid voting.vote_cast payload")


def test_parse_event_fills_payload_defaults():
    raw = _raw(_event(), payload={"proposal_id": "p-1", "choice": "yes"})
    assert parse_event(raw)["payload"] == {"proposal_id": "p-1", "choice": "yes", "replaced": None}


# --- follow_up -------------------------------------------------------------------

def test_follow_up_keeps_correlation_and_sets_causation():
    cause = _event("voting.voting_closed", payload={"proposal_id": "p-1", "ballots": 3},
                   actor=Actor("staff", "s-1"))
    effect = follow_up(cause, "forwarding.dossier_prepared", aggregate_id="d-1", payload={
        "dossier_id": "d-1", "proposal_id": "p-1", "institution_id": "mop", "digest": "a" * 64})
    assert effect["correlation_id"] == cause["correlation_id"] == cause["event_id"]
    assert effect["causation_id"] == cause["event_id"]
    assert effect["event_id"] != cause["event_id"]
    assert effect["municipality"] == cause["municipality"]
    assert effect["aggregate_id"] == "d-1"
    assert effect["actor"] == SYSTEM.as_dict() == {"role": "system", "id": None}


def test_a_chain_of_follow_ups_keeps_the_first_correlation():
    first = _event(correlation_id="story-1")
    second = follow_up(first, "voting.voting_opened", aggregate_id="p-1",
                       payload={"proposal_id": "p-1"})
    third = follow_up(second, "voting.voting_opened", aggregate_id="p-1",
                      payload={"proposal_id": "p-1"}, actor=Actor("staff", "s-1"))
    assert first["correlation_id"] == second["correlation_id"] == third["correlation_id"] == "story-1"
    assert third["causation_id"] == second["event_id"]
    assert third["actor"] == {"role": "staff", "id": "s-1"}


def test_follow_up_validates_its_payload():
    with pytest.raises(ValueError):
        follow_up(_event(), "voting.voting_opened", aggregate_id="p-1", payload={})


# --- upcasting ---------------------------------------------------------------------

class VotingOpenedV2(Schema):
    proposal_id = fields.Str(required=True)
    window_days = fields.Int(required=True, strict=True)


class VotingOpenedV3(Schema):
    proposal_id = fields.Str(required=True)
    window_days = fields.Int(required=True, strict=True)
    channel = fields.Str(required=True)


def _opened_v1() -> bytes:
    event = _event("voting.voting_opened", payload={"proposal_id": "p-1"})
    assert event["schema_version"] == 1
    return encode(event)


def test_an_upcaster_is_applied_to_an_older_version(monkeypatch):
    raw = _opened_v1()
    seen = []

    def v1_to_v2(payload):
        seen.append(dict(payload))
        return {**payload, "window_days": 14}

    monkeypatch.setitem(events.CATALOGUE, "voting.voting_opened", (2, VotingOpenedV2))
    monkeypatch.setitem(events.UPCASTERS, ("voting.voting_opened", 1), v1_to_v2)
    event = parse_event(raw)
    assert seen == [{"proposal_id": "p-1"}]
    assert event["schema_version"] == 2
    assert event["payload"] == {"proposal_id": "p-1", "window_days": 14}


def test_upcasters_are_chained_in_version_order(monkeypatch):
    raw = _opened_v1()
    monkeypatch.setitem(events.CATALOGUE, "voting.voting_opened", (3, VotingOpenedV3))
    monkeypatch.setitem(events.UPCASTERS, ("voting.voting_opened", 1),
                        lambda p: {**p, "window_days": 14})
    monkeypatch.setitem(events.UPCASTERS, ("voting.voting_opened", 2),
                        lambda p: {**p, "channel": f"web-{p['window_days']}"})
    event = parse_event(raw)
    assert event["schema_version"] == 3
    assert event["payload"] == {"proposal_id": "p-1", "window_days": 14, "channel": "web-14"}


def test_a_missing_upcaster_makes_the_event_unreadable(monkeypatch):
    raw = _opened_v1()
    monkeypatch.setitem(events.CATALOGUE, "voting.voting_opened", (2, VotingOpenedV2))
    assert _reason(raw) == "no upcaster for voting.voting_opened v1"


def test_an_upcast_payload_is_still_validated(monkeypatch):
    raw = _opened_v1()
    monkeypatch.setitem(events.CATALOGUE, "voting.voting_opened", (2, VotingOpenedV2))
    monkeypatch.setitem(events.UPCASTERS, ("voting.voting_opened", 1), lambda p: p)
    assert _reason(raw).startswith("invalid voting.voting_opened payload")


def test_a_current_event_is_not_upcast(monkeypatch):
    def explode(payload):
        raise AssertionError("must not be called")

    monkeypatch.setitem(events.UPCASTERS, ("voting.voting_opened", 1), explode)
    assert parse_event(_opened_v1())["schema_version"] == 1


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"a":' * 100_000])
def test_deeply_nested_json_is_unreadable_not_a_crash(raw):
    with pytest.raises(UnreadableEvent, match="not JSON"):
        parse_event(raw)


@pytest.mark.parametrize("spelling", ["urn:uuid:{u}", "{{{u}}}", "{h}", "{U}"])
def test_event_ids_have_one_spelling(spelling):
    import uuid as uuid_module

    u = uuid_module.uuid4()
    event = make_event("voting.voting_opened", municipality="idrija", aggregate_id="p1",
                       actor=Actor("staff", "s1"), payload={"proposal_id": "p1"})
    event["event_id"] = spelling.format(u=u, h=u.hex, U=str(u).upper())
    with pytest.raises(UnreadableEvent, match="invalid envelope"):
        parse_event(encode(event))
