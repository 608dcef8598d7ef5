"""Schemas of the eligibility register's imports, in one go or run as jobs (re-exported by voting.schemas,
the gateway's contract)."""
from marshmallow import Schema, fields, validate

from services.fields import Integer

# The largest register file taken in one upload: 100,000 rows of "reference,date_of_birth" are about
# 2.2 MB, so 10 MiB holds some 450,000 rows (a register of the largest municipality).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The JSON body carrying such a file: the text escaped in JSON (line breaks as \n) and the other fields.
MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES * 2 + 64 * 1024
STATES = ("awaiting_confirmation", "queued", "running", "done", "failed", "cancelled")


class RegisterUploadIn(Schema):
    csv = fields.Str(required=True, validate=validate.Length(min=1, max=MAX_UPLOAD_BYTES),
                     metadata={"description": "The file's text, with a header: reference,date_of_birth"})
    replace = fields.Bool(load_default=False, metadata={
        "description": "Take entries absent from the file off the register; the import then waits for "
                       "POST .../confirm (the job says how many entries it removes)"})
    filename = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=200))


class ImportJobOut(Schema):
    """An import of the register: its state, progress and counts (no row's values)."""

    id = fields.Str(data_key="job_id")
    municipality = fields.Str()
    state = fields.Str(metadata={"enum": list(STATES)})
    replace = fields.Bool()
    source = fields.Str(metadata={"description": "upload (a job), api, cli or seed"})
    filename = fields.Str(allow_none=True)
    actor_role = fields.Str(allow_none=True)
    actor_id = fields.Str(allow_none=True)
    total_rows = Integer()
    done_rows = Integer()
    accepted = Integer()
    rejected = Integer()
    reasons = fields.Dict(keys=fields.Str(), values=Integer(), metadata={"description": "reason code -> rows"})
    removals = Integer(allow_none=True, metadata={"description": "A replace: entries it takes off the register"})
    removed = Integer(allow_none=True)
    eligible = Integer(allow_none=True)
    failure = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class RejectionsArgs(Schema):
    page = Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = Integer(load_default=50, validate=validate.Range(min=1, max=500))


class RejectionOut(Schema):
    row = Integer(metadata={"description": "The row's number in the file (the header is row 1)"})
    code = fields.Str()
    reason = fields.Str()


class RejectionsOut(Schema):
    job_id = fields.Str()
    total = Integer()
    page = Integer()
    pages = Integer()
    per_page = Integer()
    rejections = fields.List(fields.Nested(RejectionOut))


class RegisterImportIn(Schema):
    csv = fields.Str(required=True, validate=validate.Length(min=1),
                     metadata={"description": "CSV text with a header: reference,date_of_birth"})
    replace = fields.Bool(load_default=False)


class RejectedRow(Schema):
    line = Integer()
    reference = fields.Str()
    reason = fields.Str()


class RegisterReportOut(Schema):
    batch = fields.Str()
    municipality = fields.Str()
    imported = Integer()
    rejected = fields.List(fields.Nested(RejectedRow))
    removed = Integer()
    eligible = Integer()


class RegisterSummaryOut(Schema):
    municipality = fields.Str()
    eligible = Integer()
    verified = Integer()
    last_import = fields.Nested(ImportJobOut, allow_none=True)
