"""services.claims on the real database: an update that returns its document, and claims by many
threads that never give one document to two of them."""
from __future__ import annotations

import threading

import mongoengine as me
import pytest

from services import db
from services.claims import Candidates, update_returning
from services.settings import get_settings


@pytest.fixture()
def coll(platform):
    db.connect("claims_test")
    collection = me.get_db()["jobs"]
    collection.drop()
    collection.create_index([("state", 1), ("due", 1)])
    yield collection
    me.get_connection().drop_database(get_settings().database("claims_test"))


def test_update_returning_answers_the_document_after_the_change(coll):
    coll.insert_one({"_id": "a", "n": 1})
    assert update_returning(coll, {"_id": "a"}, {"$inc": {"n": 1}}) == {"_id": "a", "n": 2}
    assert update_returning(coll, {"_id": "a", "n": {"$gt": 5}}, {"$inc": {"n": 1}}) is None  # predicate holds or nothing
    assert update_returning(coll, {"_id": "missing"}, {"$inc": {"n": 1}}) is None
    assert coll.count_documents({}) == 1
    assert update_returning(coll, {"_id": "b"}, {"$inc": {"n": 1}}, upsert=True) == {"_id": "b", "n": 1}
    made = update_returning(coll, {"kind": "new"}, {"$set": {"n": 7}}, upsert=True)  # no _id in the query
    assert made["kind"] == "new" and made["n"] == 7 and coll.count_documents({"kind": "new"}) == 1


def test_update_returning_takes_the_first_in_sort_order(coll):
    coll.insert_many([{"_id": f"j{i}", "state": "due", "due": 10 - i} for i in range(5)])
    first = update_returning(coll, {"state": "due"}, {"$set": {"state": "taken"}}, sort=[("due", 1)])
    assert first == {"_id": "j4", "state": "taken", "due": 6}
    assert coll.find_one({"_id": "j4"})["state"] == "taken"
    assert update_returning(coll, {"state": "gone"}, {"$set": {"state": "taken"}}, sort=[("due", 1)]) is None


def test_update_returning_in_a_transaction_sees_its_own_write_and_rolls_back(coll):
    coll.insert_one({"_id": "a", "n": 1})

    def work(unit):
        seen = update_returning(coll, {"_id": "a"}, {"$inc": {"n": 10}}, session=unit.session)
        assert seen["n"] == 11
        raise RuntimeError("abort")
    with pytest.raises(RuntimeError):
        db.atomically(work)
    assert coll.find_one({"_id": "a"})["n"] == 1


def test_threads_claiming_at_once_take_each_document_exactly_once(coll):
    coll.insert_many([{"_id": f"d{i:03d}", "state": "due", "due": i} for i in range(120)])
    shared = Candidates(lambda: coll, batch=8)
    claimed: list[list[str]] = [[] for _ in range(4)]

    def due():
        return {"state": "due"}, {"$set": {"state": "taken"}, "$inc": {"claims": 1}}

    def claimer(mine: list[str], candidates: Candidates) -> None:
        while (son := candidates.claim(due, sort=[("due", 1)])) is not None:
            mine.append(son["_id"])
    # two threads share one Candidates (one process's dispatchers), two have their own (another process)
    threads = [threading.Thread(target=claimer, args=(claimed[n], shared if n < 2 else Candidates(lambda: coll, 8)))
               for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    everything = [key for mine in claimed for key in mine]
    assert sorted(everything) == [f"d{i:03d}" for i in range(120)]  # every one, none twice
    assert coll.count_documents({"claims": {"$ne": 1}}) == 0
    assert shared.claim(due) is None


def test_candidates_skip_what_stopped_being_due(coll):
    coll.insert_many([{"_id": f"d{i}", "state": "due", "due": i} for i in range(3)])
    candidates = Candidates(lambda: coll, batch=3)
    due = lambda: ({"state": "due"}, {"$set": {"state": "taken"}})  # noqa: E731
    assert candidates.claim(due, sort=[("due", 1)])["_id"] == "d0"  # d1 and d2 are now remembered
    coll.update_one({"_id": "d1"}, {"$set": {"state": "cancelled"}})
    assert candidates.claim(due, sort=[("due", 1)])["_id"] == "d2"
    assert candidates.claim(due, sort=[("due", 1)]) is None
