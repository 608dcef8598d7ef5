"""Runs of events applied together (services.batches): which messages make a run, and the fallback."""
from __future__ import annotations

from types import SimpleNamespace

from services import batches
from services.deferral import Deferrals
from services.events import SYSTEM, encode, make_event


def _message(offset: int, event_type: str = "voting.voting_opened", value: bytes | None = None):
    payload = {"proposal_id": f"p{offset}", **({"supports": 1} if event_type == "voting.proposal_endorsed" else {})}
    event = make_event(event_type, municipality="idrija", aggregate_id=f"p{offset}", actor=SYSTEM, payload=payload)
    return SimpleNamespace(topic="civic.voting", partition=0, offset=offset, value=value or encode(event))


def _consumer(batch_handlers):
    counted = []
    return SimpleNamespace(service="test", batch_handlers=batch_handlers, settings=SimpleNamespace(max_message_bytes=10**6),
                           deferrals=Deferrals("test", 60), count=lambda e, result: counted.append(result),
                           counted=counted)


def test_a_run_is_consecutive_events_of_one_batch_kind():
    consumer = _consumer({"voting.voting_opened": lambda events: None})
    messages = [_message(0), _message(1), _message(2), _message(3, "voting.proposal_endorsed"), _message(4), _message(5)]
    assert [m.offset for m, _ in batches.run_at(consumer, messages, 0)] == [0, 1, 2]
    assert batches.run_at(consumer, messages, 3) == []  # not a batch kind
    assert [m.offset for m, _ in batches.run_at(consumer, messages, 4)] == [4, 5]


def test_one_event_or_an_unreadable_one_makes_no_run():
    consumer = _consumer({"voting.voting_opened": lambda events: None})
    assert batches.run_at(consumer, [_message(0)], 0) == []
    assert [m.offset for m, _ in batches.run_at(consumer, [_message(0), _message(1), _message(2, value=b"{"), _message(3)], 0)] == [0, 1]
    assert batches.run_at(_consumer({}), [_message(0), _message(1)], 0) == []


def test_a_run_is_applied_in_one_call_or_not_at_all():
    calls = []
    consumer = _consumer({"voting.voting_opened": lambda events: calls.append([e["aggregate_id"] for e in events])})
    run = batches.run_at(consumer, [_message(0), _message(1)], 0)
    assert batches.apply_run(consumer, run) and calls == [["p0", "p1"]] and consumer.counted == ["applied", "applied"]

    def refuse(events):
        raise LookupError("one of them was applied before")

    failing = _consumer({"voting.voting_opened": refuse})
    assert not batches.apply_run(failing, batches.run_at(failing, [_message(0), _message(1)], 0))
    assert failing.counted == []  # the consumer applies them one by one, and counts them there
