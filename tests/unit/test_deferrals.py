"""The waiting room of events that wait for another (services.deferral): when each is tried again,
what may be committed meanwhile, and when an event cannot wait any more."""
from __future__ import annotations

from types import SimpleNamespace

from kafka import TopicPartition

from services import deferral
from services.deferral import Deferrals

TP = TopicPartition("civic.forwarding", 0)


def _message(offset: int):
    return SimpleNamespace(topic=TP.topic, partition=TP.partition, offset=offset, value=b"")


def test_the_committed_offset_stays_at_the_first_waiting_event():
    room = Deferrals("test", 60)
    for offset in range(5):
        room.read(_message(offset))
    assert room.keep(_message(1), "proposal not known yet") is None
    assert room.keep(_message(3), "proposal not known yet") is None
    assert room.offsets()[TP].offset == 1
    room.done(_message(1))
    assert room.offsets()[TP].offset == 3
    room.done(_message(3))
    assert room.offsets()[TP].offset == 5


def test_a_waiting_event_is_tried_again_after_a_pause_that_doubles(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(deferral.time, "monotonic", lambda: now[0])
    room = Deferrals("test", 60)
    pauses = []
    for _ in range(7):
        assert room.keep(_message(0), "not yet") is None
        pauses.append(round(room.waiting[(TP, 0)].next_try - now[0], 1))
        assert room.due({TP}) == []
        now[0] = room.waiting[(TP, 0)].next_try
        assert [m.offset for m in room.due({TP})] == [0]
    assert pauses == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0]
    assert room.due(set()) == [] and not room.waiting  # revoked: its next owner reads it again


def test_an_event_that_waited_the_limit_or_finds_the_room_full_is_refused(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(deferral.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(deferral, "MOST", 3)
    room = Deferrals("test", 10)
    assert all(room.keep(_message(offset), "not yet") is None for offset in range(3))
    assert room.keep(_message(3), "not yet") == "3 events are waiting already"
    assert room.keep(_message(0), "not yet") is None  # one already waiting may wait on
    now[0] = 10.0
    assert room.keep(_message(0), "not yet") == "still not applicable after waiting (at most 10 s)"
