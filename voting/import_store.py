"""Documents of register imports run as jobs: the job, its chunks of prepared rows, its rejected rows,
and the lock that lets one import at a time change a municipality's register."""
from __future__ import annotations

import mongoengine as me

from services.db import utcnow

# A job's states: a replace waits for the staff's confirmation (it says how many entries it removes);
# queued and running ones hold the municipality's lock; done, failed and cancelled ones are history.
AWAITING, QUEUED, RUNNING, DONE, FAILED, CANCELLED = (
    "awaiting_confirmation", "queued", "running", "done", "failed", "cancelled")
ACTIVE = (QUEUED, RUNNING)


class RegisterImport(me.Document):
    """One import of a municipality's register: counts and progress, never a row's values."""

    id = me.StringField(primary_key=True)  # also the batch of the entries it wrote
    municipality = me.StringField(required=True)
    state = me.StringField(required=True)
    replace = me.BooleanField(default=False)
    source = me.StringField(default="upload")  # upload (a job), api (the JSON import), cli, seed
    filename = me.StringField(null=True)
    actor_role = me.StringField(null=True)
    actor_id = me.StringField(null=True)  # who imported it (an account id; pseudonymous here)
    total_rows = me.IntField(default=0)
    done_rows = me.IntField(default=0)  # rows of the chunks written so far, rejected ones included
    accepted = me.IntField(default=0)
    rejected = me.IntField(default=0)
    reasons = me.DictField(default=dict)  # reason code -> rejected rows (of the whole file, from the start)
    removals = me.IntField(null=True)  # a replace: entries absent from the file, counted at upload
    removed = me.IntField(null=True)
    eligible = me.IntField(null=True)
    failures = me.IntField(default=0)
    failure = me.StringField(null=True)
    created_at = me.DateTimeField(default=utcnow)
    started_at = me.DateTimeField(null=True)
    finished_at = me.DateTimeField(null=True)
    meta = {"collection": "register_imports", "indexes": [("municipality", "-created_at"), ("state", "created_at")]}


class RegisterImportChunk(me.Document):
    """Consecutive rows of an uploaded file, already checked: the entries to write (reference and the
    keyed hash of the birth date, as the register keeps them) and the rejected rows (row, reason code)."""

    id = me.StringField(primary_key=True)  # "<job id>:<index>"
    job_id = me.StringField(required=True)
    index = me.IntField(required=True)
    rows = me.IntField(required=True)  # rows of the file in this chunk
    entries = me.ListField(me.ListField(me.StringField()))  # [reference, birth digest]
    rejected = me.ListField(me.ListField())  # [row number, reason code]
    done = me.BooleanField(default=False)
    meta = {"collection": "register_import_chunks", "indexes": [("job_id", "done", "index")]}


class RegisterRejection(me.Document):
    """One rejected row of an import: its number in the file (the header is row 1) and why."""

    id = me.StringField(primary_key=True)  # "<job id>:<row>"
    job_id = me.StringField(required=True)
    row = me.IntField(required=True)
    code = me.StringField(required=True)
    meta = {"collection": "register_rejections", "indexes": [("job_id", "row")]}


class RegisterImportLock(me.Document):
    """Held by the one queued or running import of a municipality (the unique _id refuses a second)."""

    id = me.StringField(primary_key=True)  # the municipality
    job_id = me.StringField(required=True)
    at = me.DateTimeField(default=utcnow)
    meta = {"collection": "register_import_locks"}


IMPORT_MODELS = (RegisterImport, RegisterImportChunk, RegisterRejection, RegisterImportLock)
