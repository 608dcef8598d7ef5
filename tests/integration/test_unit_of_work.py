"""The unit of work on the real database: outbox atomicity, idempotency, crashed transactions."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import mongoengine as me
import pytest
from pymongo.errors import OperationFailure

from services import db
from services.events import Actor, make_event


class Counter(me.Document):
    id = me.StringField(primary_key=True)
    n = me.IntField(default=0)
    meta = {"collection": "counters"}


@pytest.fixture()
def scratch(platform):
    db.connect("uow_test")
    db.ensure_indexes(Counter)
    for model in (Counter, db.OutboxEvent, db.ProcessedEvent):
        model.objects.delete()
    yield
    me.get_connection().drop_database(platform and "civic_uow_test")


def _event(n: int) -> dict:
    return make_event("voting.voting_opened", municipality="idrija", aggregate_id="c1",
                      actor=Actor("staff", "s"), payload={"proposal_id": f"p{n}"})


def test_state_and_events_commit_together_or_not_at_all(scratch):
    db.atomically(lambda unit: (unit.insert(Counter(id="c1")), unit.emit(_event(1))))

    def fails(unit):
        unit.update(Counter, {"_id": "c1"}, {"$inc": {"n": 1}})
        unit.emit(_event(2))
        raise RuntimeError("crash after the write, before the commit")
    with pytest.raises(RuntimeError):
        db.atomically(fails)
    assert Counter.objects.get(id="c1").n == 0
    assert [e.event["payload"]["proposal_id"] for e in db.OutboxEvent.objects] == ["p1"]
    assert db.OutboxEvent.objects.get().topic == "civic.voting" and db.OutboxEvent.objects.get().key == "c1"


def test_a_consumer_applies_an_event_once(scratch):
    db.atomically(lambda unit: unit.insert(Counter(id="c1")))
    cause = _event(1)
    bump = lambda unit: unit.update(Counter, {"_id": "c1"}, {"$inc": {"n": 1}})  # noqa: E731
    db.atomically(bump, consumer="test", cause=cause)
    with pytest.raises(db.AlreadyProcessed):
        db.atomically(bump, consumer="test", cause=cause)
    db.atomically(bump, consumer="another", cause=cause)  # each consumer applies it once
    assert Counter.objects.get(id="c1").n == 2


CRASHING_WRITER = textwrap.dedent('''
    import sys
    from services import db
    from tests.integration.test_unit_of_work import Counter
    db.connect("uow_test")
    db.adopt_sessions("crasher")
    def hang(unit):
        unit.update(Counter, {"_id": "c1"}, {"$inc": {"n": 100}})
        print("written", flush=True)
        sys.stdin.read()  # hold the transaction open until the test kills this process
    db.atomically(hang)
''')


def _single_attempt_increment():
    client = me.get_connection()
    with client.start_session() as session:
        session.start_transaction()
        Counter._get_collection().update_one({"_id": "c1"}, {"$inc": {"n": 1}}, session=session)
        session.commit_transaction()


def test_a_crashed_transaction_is_aborted_by_its_successor(scratch):
    db.atomically(lambda unit: unit.insert(Counter(id="c1")))
    child = subprocess.Popen([sys.executable, "-c", CRASHING_WRITER], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "written"
    finally:
        child.kill()
        child.wait()
    with pytest.raises(OperationFailure) as conflict:  # the dead transaction still holds the document
        _single_attempt_increment()
    assert conflict.value.has_error_label("TransientTransactionError")
    assert db.adopt_sessions("crasher") >= 1
    _single_attempt_increment()  # the successor killed it: the document is free at once
    assert Counter.objects.get(id="c1").n == 1  # and the crashed write never happened


def test_only_a_commit_with_events_or_outside_a_consumer_wakes_the_loops(scratch, monkeypatch):
    """A consumer's transaction that only updates a projection wakes no relay or job (a burst of
    such events woke forwarding's dispatchers once per event); one with events, or any other, does."""
    rung = []
    monkeypatch.setattr(db.COMMITTED, "ring", lambda: rung.append(1))
    db.atomically(lambda unit: unit.insert(Counter(id="projection")), consumer="test.projection", cause=_event(1))
    assert rung == []
    db.atomically(lambda unit: unit.emit(_event(2)), consumer="test.projection", cause=_event(3))
    assert rung == [1]
    db.atomically(lambda unit: unit.insert(Counter(id="api-write")))
    assert rung == [1, 1]
