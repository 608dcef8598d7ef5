"""The worker's part of register imports: write a queued job's chunks, one per round, then finish it.

Crash-safe without duplicates: an entry's _id is "<municipality>:<reference>", so writing a chunk again
upserts the same entries; a chunk is marked done and the job's counts grow in one transaction, once;
finishing (a replace's removals, the counts, the event, the lock released) is one transaction too, and
the removals it counts are the entries marked with the job's id, however often it ran. A killed worker's
successor goes on with the first chunk not marked done."""
from __future__ import annotations

import logging
from datetime import timedelta

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from services import db
from services.claims import update_returning
from services.db import Unit, atomically, utcnow
from services.events import Actor, make_event
from voting.import_store import (ACTIVE, AWAITING, CANCELLED, DONE, FAILED, QUEUED, RUNNING, RegisterImport,
                                 RegisterImportChunk, RegisterImportLock, RegisterRejection)
from voting.store import RegisterEntry

log = logging.getLogger(__name__)
MAX_FAILURES = 5  # rounds that failed on one job before it is given up as failed (staff see it)
# Entries per write command: a chunk's 1,000 upserts in one command took longer than the socket's
# 10 s on a loaded database (a test session's last minutes), so the command was cut off every time.
SLICE = 250
UNCONFIRMED_FOR = timedelta(days=1)  # a replace nobody confirmed is dropped after this


def run_imports() -> bool:
    """One round: write the next chunk of the oldest active import, or finish it. True when it worked."""
    job = RegisterImport.objects(state__in=ACTIVE).order_by("created_at").first()
    if job is None:
        _drop_unconfirmed()
        return False
    try:
        if job.state == QUEUED:
            RegisterImport.objects(id=job.id, state=QUEUED).update_one(set__state=RUNNING, set__started_at=utcnow())
        chunk = RegisterImportChunk.objects(job_id=job.id, done=False).order_by("index").first()
        if chunk is not None:
            write_chunk(job, chunk)
        else:
            finish(job)
        return True
    except Exception as exc:  # noqa: BLE001 - counted on the job; a job failing again and again is given up
        if db.unavailable(exc):  # not the job's fault: the worker's loop waits for the database
            raise
        log.exception("register import %s failed a round", job.id)
        _failed_round(job, exc)
        return False


def write_chunk(job: RegisterImport, chunk: RegisterImportChunk) -> None:
    """Upsert the chunk's entries and record its rejected rows; then count it, once."""
    now, coll = utcnow(), RegisterEntry._get_collection()
    for start in range(0, len(chunk.entries), SLICE):
        coll.bulk_write([UpdateOne({"_id": f"{job.municipality}:{reference}"}, {
            "$set": {"municipality": job.municipality, "reference": reference, "eligible": True, "batch": job.id,
                     "birth_digest": digest, "imported_at": now, "removed_by": None}}, upsert=True)
            for reference, digest in chunk.entries[start:start + SLICE]], ordered=False)
    if chunk.rejected:
        try:
            RegisterRejection._get_collection().insert_many([
                {"_id": f"{job.id}:{row}", "job_id": job.id, "row": row, "code": code} for row, code in chunk.rejected],
                ordered=False)
        except BulkWriteError as exc:  # written before a crash: the same rows, already there
            if any(error.get("code") != 11000 for error in exc.details.get("writeErrors", [])):
                raise

    def work(unit: Unit) -> None:
        marked = unit.coll(RegisterImportChunk).update_one({"_id": chunk.id, "done": False},
                                                           {"$set": {"done": True}}, session=unit.session)
        if marked.modified_count:
            unit.coll(RegisterImport).update_one({"_id": job.id}, {"$inc": {
                "done_rows": chunk.rows, "accepted": len(chunk.entries)}}, session=unit.session)

    atomically(work)


def finish(job: RegisterImport) -> None:
    """A replace takes the entries the file did not hold off the register; the job is done, its lock
    released and `voting.register_imported` published, in one transaction."""
    coll = RegisterEntry._get_collection()
    if job.replace:
        coll.update_many({"municipality": job.municipality, "eligible": True, "batch": {"$ne": job.id}},
                         {"$set": {"eligible": False, "removed_by": job.id}})
    removed = coll.count_documents({"municipality": job.municipality, "removed_by": job.id}) if job.replace else 0
    eligible = coll.count_documents({"municipality": job.municipality, "eligible": True})
    current = RegisterImport.objects(id=job.id).first()

    def work(unit: Unit) -> None:
        done = unit.coll(RegisterImport).update_one({"_id": job.id, "state": {"$in": list(ACTIVE)}}, {"$set": {
            "state": DONE, "removed": removed, "eligible": eligible, "finished_at": utcnow()}}, session=unit.session)
        if not done.modified_count:
            return  # another worker finished it
        unit.coll(RegisterImportLock).delete_one({"_id": job.municipality, "job_id": job.id}, session=unit.session)
        unit.emit(make_event(
            "voting.register_imported", municipality=job.municipality, aggregate_id=f"register:{job.municipality}",
            actor=Actor(job.actor_role or "staff", job.actor_id or "unknown"), payload={
                "batch": job.id, "imported": current.accepted, "rejected": current.rejected, "removed": removed,
                "eligible": eligible}))

    atomically(work)
    RegisterImportChunk._get_collection().delete_many({"job_id": job.id})  # the hashes are on the register now


def _failed_round(job: RegisterImport, exc: Exception) -> None:
    found = update_returning(RegisterImport._get_collection(), {"_id": job.id}, {"$inc": {"failures": 1}})
    if found is None or found.get("failures", 0) < MAX_FAILURES:
        return

    def work(unit: Unit) -> None:
        unit.coll(RegisterImport).update_one({"_id": job.id, "state": {"$in": list(ACTIVE)}}, {"$set": {
            "state": FAILED, "failure": type(exc).__name__, "finished_at": utcnow()}}, session=unit.session)
        unit.coll(RegisterImportLock).delete_one({"_id": job.municipality, "job_id": job.id}, session=unit.session)

    atomically(work)


def _drop_unconfirmed() -> None:
    """Replaces left waiting for confirmation for a day are cancelled, and their chunks deleted."""
    stale = RegisterImport.objects(state=AWAITING, created_at__lt=utcnow() - UNCONFIRMED_FOR).only("id")
    for job in stale:
        RegisterImport.objects(id=job.id, state=AWAITING).update_one(set__state=CANCELLED, set__finished_at=utcnow())
        RegisterImportChunk._get_collection().delete_many({"job_id": job.id})
