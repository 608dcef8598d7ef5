"""Schemas of staff's side of the deliberation: the reported comments and their reports."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.fields import Integer
from voting.schemas import CommentOut

STATUSES = ("waiting", "hidden", "dismissed")  # reports waiting for staff; hidden; kept after review


class ReportedArgs(Schema):
    status = fields.Str(load_default="waiting", validate=validate.OneOf(STATUSES))
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CommentReportOut(Schema):
    """One report as staff see it: why, when, whether by a verified resident; never who."""

    reason = fields.Str()
    at = fields.DateTime()
    verified = fields.Bool()


class ReportedCommentOut(CommentOut):
    body = fields.Str(allow_none=True)  # staff read a hidden comment's text too
    proposal_title = fields.Str(allow_none=True)
    verified_reports = Integer()
    pending_reports = Integer()
    first_reported_at = fields.DateTime(allow_none=True)
    report_list = fields.List(fields.Nested(CommentReportOut), data_key="report_details")


class ReportedPage(Schema):
    """Reported comments of one status, the most reported first, and the count of each status."""

    items = fields.List(fields.Nested(ReportedCommentOut))
    page = Integer()
    per_page = Integer()
    total = Integer()
    counts = fields.Dict(keys=fields.Str(), values=Integer())
    oldest_waiting_at = fields.DateTime(allow_none=True)  # the first report still waiting for staff
