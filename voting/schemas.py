"""Request and response schemas of the voting API (the gateway reuses them)."""
from datetime import timezone

from marshmallow import Schema, fields, validate

from services.fields import Integer
from voting.desk_schemas import VoteListArgs, VotePage  # noqa: F401  (the staff's list of votes)
from voting.domain import MAJORITIES, TIE_RULES
from voting.import_schemas import (MAX_UPLOAD_BODY_BYTES, MAX_UPLOAD_BYTES, ImportJobOut,  # noqa: F401
                                   RegisterImportIn, RegisterReportOut, RegisterSummaryOut, RegisterUploadIn,
                                   RejectedRow, RejectionsArgs, RejectionsOut)
from voting.thread_schemas import (CommentOut, CountsOut, DeliberationOut, ThreadArgs,  # noqa: F401
                                   TopOut)  # comments, and a discussion's pages

TALLY_CHECK = ("After the close: matched when the recount from the ballots equals the running count, "
               "mismatch when not (a lost or double-counted ballot); null until checked.")


def _when():
    return fields.AwareDateTime(default_timezone=timezone.utc, load_default=None, allow_none=True)


class BallotIn(Schema):
    choice = fields.Str(required=True, validate=validate.OneOf(("yes", "no", "abstain")))


class BallotOut(Schema):
    proposal_id = fields.Str()
    choice = fields.Str()
    changed = fields.Bool()
    receipt = fields.Str(metadata={"description": "Shown only to the voter: GET /receipts/{receipt} confirms "
                                                  "the ballot was counted, without the choice."})
    version = Integer()


class TallyOut(Schema):
    yes = Integer()
    no = Integer()
    abstain = Integer()


class VoteOut(Schema):
    id = fields.Str(data_key="proposal_id")
    status = fields.Str()
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    outcome = fields.Str(allow_none=True)


class WindowIn(Schema):
    opens_at = _when()
    closes_at = _when()


class RulesIn(Schema):
    quorum_ballots = Integer(validate=validate.Range(min=0))
    quorum_percent = fields.Float(validate=validate.Range(min=0, max=100))
    majority = fields.Str(validate=validate.OneOf(MAJORITIES))
    qualified_fraction = fields.Float(validate=validate.Range(min=0.5, max=1))
    tie = fields.Str(validate=validate.OneOf(TIE_RULES))
    live_results = fields.Bool()
    support_threshold = Integer(validate=validate.Range(min=0))


class RulesOut(RulesIn):
    proposal_id = fields.Str()
    process_id = fields.Str()


class ResultsOut(Schema):
    proposal_id = fields.Str()
    status = fields.Str()
    competence = fields.Str()
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    ballots = Integer()
    tally = fields.Nested(TallyOut, allow_none=True)
    live_tally = fields.Nested(TallyOut, allow_none=True)
    outcome = fields.Str(allow_none=True)
    electorate = Integer(allow_none=True)
    turnout = fields.Float(allow_none=True)
    quorum_met = fields.Bool(allow_none=True)
    tie = fields.Bool(allow_none=True)
    supports = Integer()
    rules = fields.Nested(RulesIn)
    tally_check = fields.Str(allow_none=True, metadata={"description": TALLY_CHECK})


class ReceiptOut(Schema):
    proposal_id = fields.Str()
    approval_id = fields.Str()
    version = Integer()
    latest_version = Integer()
    state = fields.Str(metadata={"description": "recorded (vote open), counted (vote closed) or superseded "
                                                "(a later version of the same ballot counts)"})
    vote_status = fields.Str(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class VerificationIn(Schema):
    reference = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    date_of_birth = fields.Str(required=True, validate=validate.Length(min=1, max=32))


class VerificationOut(Schema):
    verified = fields.Bool()
    eligible = fields.Bool()
    municipality = fields.Str(allow_none=True)
    rule = fields.Str(allow_none=True)
    verified_at = fields.DateTime(allow_none=True)


class SupportOut(Schema):
    proposal_id = fields.Str()
    supported = fields.Bool()
    supports = Integer()
    threshold = Integer()
    status = fields.Str()


class CommentIn(Schema):
    body = fields.Str(required=True, validate=validate.Length(min=1, max=4000))
    alignment = fields.Str(required=True, validate=validate.OneOf(("for", "against", "neutral")))
    parent_id = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=64))


class CommentEditIn(Schema):
    body = fields.Str(validate=validate.Length(min=1, max=4000))
    alignment = fields.Str(validate=validate.OneOf(("for", "against", "neutral")))


class ReasonIn(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=1000))


class MineArgs(Schema):
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000))
    per_page = Integer(load_default=20, validate=validate.Range(min=1, max=100))


class MyCommentsOut(Schema):
    """One's own comments in every state (a deleted one without its text), newest first."""

    items = fields.List(fields.Nested(CommentOut))
    page = Integer()
    per_page = Integer()
    total = Integer()


REPORTED_STATUSES = ("waiting", "hidden", "dismissed")  # reports waiting for staff; hidden; kept after review


class ReportedArgs(MineArgs):
    status = fields.Str(load_default="waiting", validate=validate.OneOf(REPORTED_STATUSES))


# A report as staff see it: why, when, whether by a verified resident; never who.
CommentReportOut = Schema.from_dict({"reason": fields.Str(), "at": fields.DateTime(), "verified": fields.Bool()},
                                    name="CommentReportOut")


class ReportedCommentOut(CommentOut):  # the text too when hidden
    proposal_title = fields.Str(allow_none=True)
    verified_reports = Integer()
    pending_reports = Integer()
    first_reported_at = fields.DateTime(allow_none=True)
    report_list = fields.List(fields.Nested(CommentReportOut), data_key="report_details")


class ReportedPage(MyCommentsOut):  # one status's reported comments, the most reported first; counts per status
    items = fields.List(fields.Nested(ReportedCommentOut))
    counts = fields.Dict(keys=fields.Str(), values=Integer())
    oldest_waiting_at = fields.DateTime(allow_none=True)  # the first report still waiting


class OptionIn(Schema):
    id = fields.Str(validate=validate.Regexp(r"^[a-z0-9_-]{1,32}$"))
    label = fields.Str(required=True, validate=validate.Length(min=1, max=300))


class ApprovalIn(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=3, max=200))
    options = fields.List(fields.Nested(OptionIn), required=True, validate=validate.Length(min=2, max=50))
    max_selections = Integer(required=True, validate=validate.Range(min=1, max=50))  # options: at most 50
    opens_at = _when()
    closes_at = _when()
    rules = fields.Nested(RulesIn, load_default=None)


class ApprovalBallotIn(Schema):
    selections = fields.List(fields.Str(validate=validate.Length(max=32)), required=True,
                             validate=validate.Length(max=50))


class ApprovalBallotOut(Schema):
    approval_id = fields.Str()
    selections = fields.List(fields.Str())
    changed = fields.Bool()
    receipt = fields.Str()
    version = Integer()


OptionOut = Schema.from_dict({"id": fields.Str(), "label": fields.Str()}, name="OptionOut")


class ApprovalOut(Schema):
    id = fields.Str()
    process_id = fields.Str()
    title = fields.Str()
    options = fields.List(fields.Nested(OptionOut))
    max_selections = Integer()
    status = fields.Str()
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    tally = fields.Dict(keys=fields.Str(), values=Integer(), allow_none=True)
    live_tally = fields.Dict(keys=fields.Str(), values=Integer(), allow_none=True)
    ranking = fields.List(fields.Str(), allow_none=True)
    ballots = Integer(allow_none=True)
    electorate = Integer(allow_none=True)
    turnout = fields.Float(allow_none=True)
    quorum_met = fields.Bool(allow_none=True)
    tally_check = fields.Str(allow_none=True, metadata={"description": TALLY_CHECK})


class ApprovalSummaryOut(Schema):
    id = fields.Str()
    process_id = fields.Str()
    title = fields.Str()
    status = fields.Str()
    max_selections = Integer()
    options = Integer(metadata={"description": "How many measures are on the ballot"})
    opens_at = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


class ApprovalListOut(Schema):
    approval_votes = fields.List(fields.Nested(ApprovalSummaryOut))


from voting.opendata_schemas import ResultRow, ResultsExport  # noqa: E402,F401  (open data)
