"""Use cases of register imports run as jobs: upload a file (checked at once, written by the worker in
chunks: see voting.register_jobs), confirm or cancel a replace, read a job's progress and its rejected
rows. A file's rows are checked and their birth dates hashed here, so no birth date is ever stored."""
from __future__ import annotations

import csv
import io

from pymongo.errors import DuplicateKeyError

from services.auth import Caller
from services.calendar import local_today
from services.db import Unit, atomically, new_id, utcnow
from services.errors import Conflict, DomainError, Forbidden, NotFound
from voting import domain
from voting.eligibility import LINE, birth_digest, read_csv
from voting.import_store import (ACTIVE, AWAITING, CANCELLED, QUEUED, RegisterImport, RegisterImportChunk,
                                 RegisterImportLock, RegisterRejection)
from voting.store import RegisterEntry

CHUNK = 1000  # rows of the file per chunk: the worker writes one chunk per round (the progress steps)
BUSY = "Another import of the register is running; wait until it has finished."


def _staff(caller: Caller) -> None:
    if caller.role != "staff":
        raise Forbidden("Only the municipality's staff import its register.")


def upload(caller: Caller, text: str, *, replace: bool = False, filename: str | None = None) -> RegisterImport:
    """Check every row of the file and store the rows in chunks; an append is queued for the worker at
    once, a replace waits for POST .../confirm (the job says how many entries it would remove)."""
    _staff(caller)
    municipality = caller.municipality
    if not replace and RegisterImportLock.objects(id=municipality).first():
        raise Conflict(BUSY, code="busy")
    rows, problems = read_csv(text)
    if problems:
        raise DomainError("The file is not a register CSV.", errors={"json": {"csv": problems}})
    if not rows:
        raise DomainError("The file has no rows below its header.", errors={"json": {"csv": ["no rows"]}})
    job = RegisterImport(id=new_id(), municipality=municipality, state=AWAITING if replace else QUEUED,
                         replace=replace, filename=filename, actor_role=caller.role, actor_id=caller.id,
                         total_rows=len(rows))
    chunks, references = _chunks(job, rows)
    if replace:
        job.removals = _absent_from(municipality, references)
    RegisterImportChunk._get_collection().insert_many([chunk.to_mongo() for chunk in chunks], ordered=False)
    try:
        atomically(lambda unit: _queue(unit, job) if not replace else unit.insert(job))
    except DuplicateKeyError as exc:  # another append or confirmed replace took the lock meanwhile
        RegisterImportChunk._get_collection().delete_many({"job_id": job.id})
        raise Conflict(BUSY, code="busy") from exc
    return job


def _chunks(job: RegisterImport, rows: list[dict]) -> tuple[list[RegisterImportChunk], set[str]]:
    """The file's rows checked, CHUNK at a time; the entries' ids (for a replace's count)."""
    today, seen, chunks = local_today(), set(), []
    for start in range(0, len(rows), CHUNK):
        entries, rejected = [], []
        for row in rows[start:start + CHUNK]:
            try:
                reference, born = domain.check_row(row, today, seen)
            except domain.RowRejected as exc:
                rejected.append([row[LINE], exc.code])
                job.reasons[exc.code] = job.reasons.get(exc.code, 0) + 1
            else:
                entries.append([reference, birth_digest(born.isoformat())])
        chunks.append(RegisterImportChunk(id=f"{job.id}:{len(chunks)}", job_id=job.id, index=len(chunks),
                                          rows=len(rows[start:start + CHUNK]), entries=entries, rejected=rejected))
    job.rejected = sum(job.reasons.values())
    return chunks, {f"{job.municipality}:{reference}" for reference in seen}


def _absent_from(municipality: str, ids: set[str]) -> int:
    """Entries on the register now that the file does not hold: what a replace takes off."""
    found = RegisterEntry._get_collection().find({"municipality": municipality, "eligible": True}, {"_id": 1})
    return sum(1 for entry in found if entry["_id"] not in ids)


def _queue(unit: Unit, job: RegisterImport) -> None:
    """The job and the municipality's lock, together (DuplicateKeyError while another import holds it)."""
    job.state = QUEUED
    unit.insert(RegisterImportLock(id=job.municipality, job_id=job.id))
    unit.save(job)


def _job(caller: Caller, job_id: str) -> RegisterImport:
    _staff(caller)
    job = RegisterImport.objects(id=job_id, municipality=caller.municipality).first()
    if job is None:
        raise NotFound("No such import of the register.")
    return job


def confirm(caller: Caller, job_id: str) -> RegisterImport:
    """Start a replace the staff have confirmed (having been told what it removes)."""
    job = _job(caller, job_id)
    if job.state in ACTIVE:
        return job  # confirmed twice (a double click): nothing more to do
    if job.state != AWAITING:
        raise Conflict("This import is no longer waiting for confirmation.", code="wrong_state")
    try:
        atomically(lambda unit: _queue(unit, job))
    except DuplicateKeyError as exc:
        raise Conflict(BUSY, code="busy") from exc
    return job


def cancel(caller: Caller, job_id: str) -> RegisterImport:
    """Drop a replace that waits for confirmation: the register stays as it is."""
    job = _job(caller, job_id)
    if job.state != AWAITING:
        raise Conflict("Only an import waiting for confirmation can be cancelled.", code="wrong_state")
    RegisterImport.objects(id=job.id, state=AWAITING).update_one(set__state=CANCELLED, set__finished_at=utcnow())
    RegisterImportChunk._get_collection().delete_many({"job_id": job.id})
    return RegisterImport.objects(id=job.id).first()


def get(caller: Caller, job_id: str) -> RegisterImport:
    return _job(caller, job_id)


def rejections(caller: Caller, job_id: str, page: int, per_page: int) -> dict:
    """A page of the job's rejected rows, in the file's order (written as the worker goes)."""
    job = _job(caller, job_id)
    query = RegisterRejection.objects(job_id=job.id)
    total = query.count()
    pages = max(1, -(-total // per_page))
    found = query.order_by("row").skip((page - 1) * per_page).limit(per_page)
    return {"job_id": job.id, "total": total, "page": page, "pages": pages, "per_page": per_page,
            "rejections": [_rejection(r.row, r.code) for r in found]}


def _rejection(row: int, code: str) -> dict:
    return {"row": row, "code": code, "reason": domain.REASONS.get(code, code)}


def rejections_csv(caller: Caller, job_id: str) -> str:
    """All of the job's rejected rows as CSV: row, reason code, reason (never the row's values)."""
    job = _job(caller, job_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "code", "reason"])
    for found in RegisterRejection._get_collection().find({"job_id": job.id}, {"row": 1, "code": 1}).sort("row", 1):
        writer.writerow([found["row"], found["code"], domain.REASONS.get(found["code"], found["code"])])
    return out.getvalue()
