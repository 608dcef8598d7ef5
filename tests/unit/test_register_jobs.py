"""The worker's round of a register import (voting.register_jobs): a database that is away or slow
costs the job nothing, and a chunk is written in commands small enough for a loaded database."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from pymongo.errors import NetworkTimeout

from voting import register_jobs
from voting.import_store import RUNNING


class _Query:
    def __init__(self, found):
        self.found = found

    def order_by(self, *_):
        return self

    def first(self):
        return self.found


@pytest.fixture
def one_running_job(monkeypatch):
    job = SimpleNamespace(id="job-1", state=RUNNING, municipality="idrija")
    chunk = SimpleNamespace(id="job-1:0", rows=1000, entries=[[f"R-{n}", "digest"] for n in range(1000)], rejected=[])
    monkeypatch.setattr(register_jobs, "RegisterImport", SimpleNamespace(objects=lambda **_: _Query(job)))
    monkeypatch.setattr(register_jobs, "RegisterImportChunk", SimpleNamespace(objects=lambda **_: _Query(chunk)))
    failed = []
    monkeypatch.setattr(register_jobs, "_failed_round", lambda job, exc: failed.append(type(exc).__name__))
    return SimpleNamespace(job=job, chunk=chunk, failed=failed)


def _raise(error):
    def write(*_):
        raise error
    return write


def test_a_database_that_does_not_answer_is_not_a_failed_round(one_running_job, monkeypatch):
    monkeypatch.setattr(register_jobs, "write_chunk", _raise(NetworkTimeout("timed out")))
    with pytest.raises(NetworkTimeout):  # the worker's loop waits for the database and comes back
        register_jobs.run_imports()
    assert one_running_job.failed == []


def test_any_other_failure_is_counted_on_the_job(one_running_job, monkeypatch):
    monkeypatch.setattr(register_jobs, "write_chunk", _raise(ValueError("a bad row")))
    assert register_jobs.run_imports() is False
    assert one_running_job.failed == ["ValueError"]


def test_a_chunk_is_written_in_slices(one_running_job, monkeypatch):
    commands = []
    register = SimpleNamespace(bulk_write=lambda ops, ordered: commands.append(len(ops)))
    monkeypatch.setattr(register_jobs, "RegisterEntry", SimpleNamespace(_get_collection=lambda: register))
    monkeypatch.setattr(register_jobs, "atomically", lambda work: None)
    register_jobs.write_chunk(one_running_job.job, one_running_job.chunk)
    assert commands == [register_jobs.SLICE] * (1000 // register_jobs.SLICE) and register_jobs.SLICE <= 250
