"""The consumer watch asks the broker only after a while without partitions, at most once per
interval, and never while the consumer holds partitions (services.consumer_watch)."""
from __future__ import annotations

from kafka import TopicPartition

from services import consumer_watch
from services.consumer_watch import Watch


def test_the_broker_is_asked_only_after_the_interval_without_partitions(monkeypatch):
    asked: list[str] = []
    clock = [100.0]
    monkeypatch.setattr(consumer_watch.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(consumer_watch, "unread_partitions",
                        lambda group, topics: asked.append(group) or {("civic.voting", 0)})
    watch = Watch("voting-worker", ["civic.voting"], after=20.0)
    assert not watch.wedged({("civic.voting", 0)})  # holding partitions: never asked
    assert not watch.wedged(set())  # empty since now
    clock[0] += 19.0
    assert not watch.wedged(set()) and asked == []
    clock[0] += 1.0
    assert watch.wedged(set()) and asked == ["voting-worker"]
    clock[0] += 5.0
    assert not watch.wedged(set()) and len(asked) == 1  # once per interval
    assert not watch.wedged({("civic.voting", 1)})  # partitions again: the count starts over
    clock[0] += 30.0
    assert not watch.wedged(set()) and len(asked) == 1


def test_a_member_idle_because_others_hold_every_partition_is_left_alone(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(consumer_watch.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(consumer_watch, "unread_partitions", lambda group, topics: set())
    watch = Watch("voting-worker", ["civic.voting"], after=1.0)
    watch.wedged(set())
    clock[0] += 2.0
    assert not watch.wedged(set())


def test_a_consumer_left_out_of_a_rebalance_that_does_not_end_starts_over(monkeypatch):
    clock, answers = [0.0], [None, None, None, set(), None]
    monkeypatch.setattr(consumer_watch.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(consumer_watch, "unread_partitions", lambda group, topics: answers.pop(0))
    watch = Watch("voting-worker", ["civic.voting"], after=8.0)
    watch.wedged(set())
    results = []
    for _ in range(5):
        clock[0] += 8.0
        results.append(watch.wedged(set()))
    # being formed once is normal; still being formed an interval later is stuck (then it starts over)
    assert results == [False, True, False, False, False]


def test_a_consumer_that_gave_up_its_partitions_and_got_none_for_an_interval_asks_the_broker(monkeypatch):
    clock, asked = [50.0], []
    answers = {"voting-worker": {("civic.voting", 0)}, "proposals-worker": set()}
    monkeypatch.setattr(consumer_watch.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(consumer_watch, "unread_partitions", lambda group, topics: asked.append(group) or answers[group])
    for group, restarts in (("voting-worker", True), ("proposals-worker", False)):
        listener = consumer_watch.LogAssignments(group.split("-")[0])
        watch = Watch(group, ["civic.voting"], after=8.0)
        held = {TopicPartition("civic.voting", 0)}
        listener.on_partitions_assigned(held)
        assert listener.rebalancing_since is None and not watch.wedged(held, listener.rebalancing_since)
        listener.on_partitions_revoked(held)  # a rebalance begins; kafka-python may still list the old assignment
        clock[0] += 7.0
        assert not watch.wedged(held, listener.rebalancing_since) and group not in asked
        clock[0] += 1.0
        # nobody reads the partitions: start over; the broker says they are held (or cannot tell): wait on
        assert watch.wedged(held, listener.rebalancing_since) is restarts and asked[-1] == group
        listener.on_partitions_assigned(set())  # given nothing (more members than partitions): not in a rebalance
        assert listener.rebalancing_since is None
