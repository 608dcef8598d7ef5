"""A register import run as a job survives its worker being killed mid-import: the next worker goes
on from the first chunk not yet counted, and nothing is written or counted twice."""
from __future__ import annotations

import uuid

import pymongo
import pytest

from services.settings import get_settings
from tests.support import operator_of, poll, staff_of

pytestmark = pytest.mark.slow
ROWS = 8_000
BAD_EVERY = 997  # a row with no date of birth now and then: rejections are recorded once too


def test_a_killed_worker_s_successor_finishes_the_import_without_duplicates(platform, gateway):
    code = f"crash-{uuid.uuid4().hex[:6]}"
    assert operator_of(gateway).post("/municipalities", json={
        "code": code, "name": "Crash", "languages": ["sl", "en"]}).status_code == 201
    staff = staff_of(gateway, code)
    lines = [f"C-{n:06d}," + ("" if n % BAD_EVERY == 0 else "1975-04-0" + str(1 + n % 9)) for n in range(ROWS)]
    bad = sum(1 for n in range(ROWS) if n % BAD_EVERY == 0)
    answer = staff.post("/eligibility/register/imports",
                        json={"csv": "reference,date_of_birth\n" + "\n".join(lines) + "\n"})
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]

    def job():
        return staff.get(f"/eligibility/register/imports/{job_id}").json()

    poll(lambda: job()["done_rows"] >= 2000, 120, "the worker to write a few chunks", interval=0.05)
    platform.kill("voting-worker")  # SIGKILL, mid-import
    stopped = job()
    assert stopped["state"] == "running" and stopped["done_rows"] < ROWS, \
        f"the import ended before the worker could be killed: {stopped}"
    platform.start_worker("voting")

    done = poll(lambda: (lambda j: j if j["state"] == "done" else None)(job()), 300, "the import to finish")
    assert done["done_rows"] == ROWS and done["accepted"] == ROWS - bad and done["rejected"] == bad, done
    assert done["eligible"] == ROWS - bad
    summary = staff.get("/eligibility/register").json()
    assert summary["eligible"] == ROWS - bad and summary["last_import"]["job_id"] == job_id
    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        database = client[settings.database("voting")]
        assert database["register"].count_documents({"municipality": code}) == ROWS - bad
        assert database["register_rejections"].count_documents({"job_id": job_id}) == bad
        assert database["register_import_chunks"].count_documents({"job_id": job_id}) == 0, "chunks left behind"
        assert database["register_import_locks"].count_documents({"_id": code}) == 0, "the lock was not released"
        events = [row["event"]["payload"] for row in database["outbox"].find({"key": f"register:{code}"})]
    assert events == [{"batch": job_id, "imported": ROWS - bad, "rejected": bad, "removed": 0,
                       "eligible": ROWS - bad}], "voting.register_imported should be published once"
    rejected = staff.get(f"/eligibility/register/imports/{job_id}/rejections", params={"per_page": 500}).json()
    assert rejected["total"] == bad and rejected["rejections"][0] == {
        "row": 2, "code": "date_missing", "reason": "date_of_birth is missing"}
