"""Use cases of eligibility: the register of eligible residents, and verification against it."""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
from datetime import timedelta
from typing import Callable, Iterable

from pymongo import UpdateMany, UpdateOne
from pymongo.errors import DuplicateKeyError

from services.auth import Caller
from services.calendar import local_today
from services.db import Unit, atomically, new_id, utcnow
from services.errors import Conflict, DomainError, Forbidden
from services.events import SYSTEM, Actor, make_event
from services.kept import Remembered
from services.limits import Limit, TooManyAttempts
from services.settings import get_settings
from voting import domain
from voting.import_store import CANCELLED, DONE, RegisterImport
from voting.store import RegisterEntry, Verification, VerificationAttempts

BATCH = 500
LINE = "_line"  # read_csv's key for a row's line number in the file
# Failures per register reference, whichever accounts try: guessing one resident's birth date
# with many fresh accounts is bounded too (issue 8). The key is "<municipality>:<reference>".
REFERENCE_FAILURES = Limit(
    "verification_reference", lambda: get_settings().verification_failures_per_reference,
    lambda: timedelta(hours=get_settings().verification_reference_window_hours),
    "Too many failed attempts with this register reference; try again later or ask the municipality.")


def birth_digest(value: str) -> str:
    """A keyed hash of a birth date: matched at verification, useless to a reader of the database."""
    return hmac.new(get_settings().service_secret.encode(), f"birth:{value}".encode(), hashlib.sha256).hexdigest()


def read_csv(text: str) -> tuple[list[dict], list[str]]:
    """Rows of a register CSV (header: reference, date_of_birth; "," or ";"), and what makes it unusable
    (a missing column, or the line that is not CSV)."""
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), dialect=dialect)
    try:
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
        missing = [name for name in ("reference", "date_of_birth") if name not in header]
        reader.fieldnames = header
        # each row with the file's line it ends on (blank lines are skipped, so rows and lines differ)
        rows = [] if missing else [{**row, LINE: reader.line_num} for row in reader]
        return rows, [f"column {name} is missing" for name in missing]
    except csv.Error as exc:  # a bare carriage return in a field, an endless quoted field...
        line = reader.line_num + 1  # the line being read when it failed (the header is line 1)
        if "new-line character" in str(exc):
            return [], [f"line {line}: a line break inside a field; put the field in double quotes"]
        return [], [f"line {line}: not readable as CSV ({exc})"]


def import_register(caller: Caller, municipality: str, rows: Iterable[dict], *, replace: bool = False,
                    progress: Callable[[int], None] | None = None) -> dict:
    """Upsert the valid rows; report the rejected ones (line, reason). With `replace`, entries absent
    from this import are taken off the register. Re-running the same file changes nothing."""
    if caller.role not in ("staff", "system") or caller.municipality != municipality:
        raise Forbidden("Only the municipality's staff import its register.")
    batch, today, seen = new_id(), local_today(), set()
    imported, rejected, pending = 0, [], []
    coll = RegisterEntry._get_collection()
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        line = row.get(LINE, line)
        try:
            reference, born = domain.check_row(row, today, seen)
        except domain.RowRejected as exc:
            rejected.append({"line": line, "reference": (row.get("reference") or "")[:40], "reason": str(exc),
                             "code": exc.code})
        else:
            pending.append(UpdateOne({"_id": f"{municipality}:{reference}"}, {
                "$set": {"municipality": municipality, "reference": reference, "eligible": True, "batch": batch,
                         "birth_digest": birth_digest(born.isoformat()), "imported_at": utcnow()}}, upsert=True))
        if progress:
            progress(1)
        if len(pending) >= BATCH:
            imported += _flush(coll, pending)
    imported += _flush(coll, pending)
    removed = 0
    if replace:
        removed = coll.bulk_write([UpdateMany({"municipality": municipality, "batch": {"$ne": batch},
                                               "eligible": True}, {"$set": {"eligible": False}})]).modified_count
    eligible = coll.count_documents({"municipality": municipality, "eligible": True})
    report = {"batch": batch, "municipality": municipality, "imported": imported, "rejected": rejected,
              "removed": removed, "eligible": eligible}
    history = imported_at_once(caller, batch, municipality, replace, imported, rejected, removed, eligible)

    def work(unit: Unit) -> None:
        unit.insert(history)  # the register page's "last import", like a job's
        unit.emit(make_event(
            "voting.register_imported", municipality=municipality, aggregate_id=f"register:{municipality}",
            actor=Actor(caller.role, caller.id), payload={"batch": batch, "imported": imported,
                                                          "rejected": len(rejected), "removed": removed,
                                                          "eligible": eligible}))

    atomically(work)
    return report


def imported_at_once(caller: Caller, batch: str, municipality: str, replace: bool, imported: int,
                     rejected: list, removed: int, eligible: int) -> RegisterImport:
    """The record of an import done in one go (the JSON API, the command line, the demo seed)."""
    source = "seed" if caller.role == "system" else "cli" if caller.id == "cli" else "api"
    reasons: dict[str, int] = {}
    for row in rejected:
        reasons[row["code"]] = reasons.get(row["code"], 0) + 1
    now = utcnow()
    return RegisterImport(id=batch, municipality=municipality, state=DONE, replace=replace, source=source,
                          actor_role=caller.role, actor_id=caller.id if source == "api" else None,
                          total_rows=imported + len(rejected), done_rows=imported + len(rejected),
                          accepted=imported, rejected=len(rejected), reasons=reasons, removed=removed,
                          eligible=eligible, created_at=now, started_at=now, finished_at=now)


def _flush(coll, pending: list) -> int:
    if not pending:
        return 0
    coll.bulk_write(pending, ordered=False)
    count = len(pending)
    pending.clear()
    return count


def import_csv(caller: Caller, text: str, *, replace: bool = False) -> dict:
    rows, problems = read_csv(text)
    if problems:
        raise DomainError("The file is not a register CSV.", errors={"json": {"csv": problems}})
    return import_register(caller, caller.municipality, rows, replace=replace)


def register_summary(caller: Caller) -> dict:
    if caller.role != "staff":
        raise Forbidden("Only municipal staff see the register.")
    municipality = caller.municipality
    last = RegisterImport.objects(municipality=municipality, state__ne=CANCELLED).order_by("-created_at").first()
    return {"municipality": municipality, "eligible": electorate(municipality),
            "verified": Verification.objects(municipality=municipality).count(), "last_import": last}


def electorate(municipality: str) -> int:
    return RegisterEntry.objects(municipality=municipality, eligible=True).count()


def verify(caller: Caller, evidence: dict) -> dict:
    """Match the caller to an entry of their municipality's register through the configured rule."""
    if caller.role != "resident":
        raise Forbidden("Only residents verify their eligibility.")
    rule = domain.RULES[get_settings().eligibility_rule]
    existing = Verification.objects(id=caller.id).first()
    if existing is not None:
        return status(caller)
    now = utcnow()
    attempts_id = f"{caller.id}:{now:%Y%m%d%H}"
    attempts = VerificationAttempts.objects(id=attempts_id).first()
    if attempts and attempts.failures >= get_settings().verification_attempts_per_hour:
        next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        raise TooManyAttempts("Too many attempts; try again in an hour.", (next_hour - now).total_seconds())
    reference = rule.reference(evidence)
    entry_id = f"{caller.municipality}:{reference}"
    REFERENCE_FAILURES.check(entry_id)  # refused even with the right details while it is being tried
    entry = RegisterEntry._get_collection().find_one({"_id": entry_id, "eligible": True})
    if entry is None or not rule.matches(entry, evidence, birth_digest):
        VerificationAttempts._get_collection().update_one({"_id": attempts_id}, {"$inc": {"failures": 1}},
                                                           upsert=True)
        _count_reference_failure(caller.municipality, entry_id, reference)
        raise DomainError("These details do not match an entry of the register of eligible residents.",
                          code="invalid",  # the same answer whether the reference exists or not
                          errors={"json": {name: ["Does not match the register."] for name in rule.evidence}})

    def work(unit: Unit) -> None:
        unit.insert(Verification(id=caller.id, municipality=caller.municipality, entry_id=entry_id, rule=rule.name))
        unit.emit(make_event("voting.resident_verified", municipality=caller.municipality,
                             aggregate_id=caller.id, actor=Actor(caller.role, caller.id),
                             payload={"user_id": caller.id, "rule": rule.name}))

    try:
        atomically(work)
    except DuplicateKeyError as exc:
        if Verification.objects(id=caller.id).first():
            return status(caller)
        raise Conflict("Another account has already verified this register entry.", code="duplicate") from exc
    return status(caller)


def _count_reference_failure(municipality: str, entry_id: str, reference: str) -> None:
    """Count a failure against the reference; the one that reaches the limit alerts the staff
    (once per window), in the same transaction."""
    def work(unit: Unit) -> None:
        failures = REFERENCE_FAILURES.count(entry_id, session=unit.session)
        if failures == get_settings().verification_failures_per_reference:
            unit.emit(make_event("voting.verification_abuse_suspected", municipality=municipality,
                                 aggregate_id=f"reference:{entry_id}", actor=SYSTEM, payload={
                                     "reference": reference, "failures": failures,
                                     "window_hours": get_settings().verification_reference_window_hours}))

    atomically(work)


def status(caller: Caller) -> dict:
    found = Verification.objects(id=caller.id).first()
    on_register = bool(found and RegisterEntry.objects(id=found.entry_id, eligible=True).first())
    return {"verified": found is not None, "municipality": found.municipality if found else None,
            "eligible": bool(on_register and found.municipality == caller.municipality),
            "rule": found.rule if found else None, "verified_at": found.verified_at if found else None}


# A verification is written once and never changed or removed (the register entry it names may
# be, so that is read every time): each process remembers the verifications it has read, and a
# ballot's eligibility costs one query instead of two.
_VERIFIED = Remembered(200_000)  # user id -> {"municipality", "entry_id"}


def verifications(user_ids: list[str]) -> dict[str, dict]:
    """{user id: {"municipality", "entry_id"}} of those of `user_ids` who have verified."""
    found = {user_id: row for user_id in user_ids if (row := _VERIFIED.get(user_id)) is not None}
    unknown = [user_id for user_id in user_ids if user_id not in found]
    if unknown:
        rows = Verification._get_collection().find({"_id": {"$in": unknown}}, {"municipality": 1, "entry_id": 1})
        for row in rows:
            user_id = row.pop("_id")
            found[user_id] = _VERIFIED.keep(user_id, row)
    return found


def check_voter(caller: Caller) -> None:
    """403 with a clear reason unless the caller is a verified resident on this municipality's register."""
    if caller.role != "resident":
        domain.check_can_vote(caller.role, None, caller.municipality, False)
    found = verifications([caller.id]).get(caller.id)
    on_register = bool(found) and RegisterEntry._get_collection().find_one(
        {"_id": found["entry_id"], "eligible": True}, {"_id": 1}) is not None
    domain.check_can_vote(caller.role, found["municipality"] if found else None, caller.municipality, on_register)


def on_register(callers: Iterable[Caller]) -> set[str]:
    """The ids of the callers who may vote (check_voter would pass them): one query for them all
    once their verifications are known to this process, two before."""
    residents = {caller.id: caller for caller in callers if caller.role == "resident"}
    found = verifications(list(residents))
    listed = {row["_id"] for row in RegisterEntry._get_collection().find(
        {"_id": {"$in": [row["entry_id"] for row in found.values()]}, "eligible": True}, {"_id": 1})}
    return {user_id for user_id, row in found.items()
            if row["entry_id"] in listed and row["municipality"] == residents[user_id].municipality}


def seed_demo() -> None:
    """Idrija's demo register: the demo residents' references (see docs/voting.md)."""
    system = Caller("seed", "system", "idrija")
    import_register(system, "idrija", DEMO_REGISTER)


DEMO_REGISTER = [
    {"reference": "IDR-1001", "date_of_birth": "1985-03-14"},  # ana.resident@example.org
    {"reference": "IDR-1002", "date_of_birth": "1990-07-02"},  # oleh.resident@example.org
    {"reference": "IDR-1003", "date_of_birth": "1978-11-30"},
    {"reference": "IDR-1004", "date_of_birth": "2001-01-09"},
    {"reference": "IDR-1005", "date_of_birth": "1969-05-21"},
]
