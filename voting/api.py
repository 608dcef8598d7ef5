"""HTTP API of the voting service."""
from flask_smorest import Blueprint

from services.auth import caller
from voting import approval, deliberation, desk, eligibility, handlers, moderation
from voting.schemas import (
    ApprovalBallotIn,
    ApprovalBallotOut,
    ApprovalIn,
    ApprovalListOut,
    ApprovalOut,
    BallotIn,
    BallotOut,
    CommentEditIn,
    CommentIn,
    CommentOut,
    DeliberationOut,
    MineArgs,
    MyCommentsOut,
    ReasonIn,
    ReceiptOut,
    ReportedArgs,
    ReportedPage,
    RegisterImportIn,
    RegisterReportOut,
    RegisterSummaryOut,
    ResultsOut,
    RulesIn,
    RulesOut,
    ThreadArgs,
    SupportOut,
    VerificationIn,
    VerificationOut,
    VoteListArgs,
    VoteOut,
    VotePage,
    WindowIn,
)

blp = Blueprint("voting", __name__, url_prefix="/api")


@blp.get("/votes")
@blp.arguments(VoteListArgs, location="query")
@blp.response(200, VotePage)
def list_votes(args):
    return desk.list_votes(caller(), args)


@blp.post("/votes/<vote_id>/open")
@blp.response(200, VoteOut)
def open_(vote_id):
    return handlers.open_voting(caller(), vote_id)


@blp.post("/votes/<vote_id>/close")
@blp.response(200, VoteOut)
def close(vote_id):
    return handlers.close_voting(caller(), vote_id)


@blp.put("/votes/<vote_id>/window")
@blp.arguments(WindowIn)
@blp.response(200, VoteOut)
def window(data, vote_id):
    return handlers.set_window(caller(), vote_id, data)


@blp.put("/votes/<vote_id>/rules")
@blp.arguments(RulesIn)
@blp.response(200, RulesOut)
def vote_rules(data, vote_id):
    return handlers.set_vote_rules(caller(), vote_id, data)


@blp.get("/processes/<process_id>/rules")
@blp.response(200, RulesOut)
def get_process_rules(process_id):
    return handlers.get_process_rules(caller(), process_id)


@blp.put("/processes/<process_id>/rules")
@blp.arguments(RulesIn)
@blp.response(200, RulesOut)
def process_rules(data, process_id):
    return handlers.set_process_rules(caller(), process_id, data)


@blp.put("/votes/<vote_id>/ballot")
@blp.arguments(BallotIn)
@blp.response(200, BallotOut)
def ballot(data, vote_id):
    return handlers.cast_ballot(caller(), vote_id, data["choice"])


@blp.get("/receipts/<code>")
@blp.response(200, ReceiptOut)
def receipt(code):
    return handlers.check_receipt(code)


@blp.get("/votes/<vote_id>/results")
@blp.response(200, ResultsOut)
def results(vote_id):
    return handlers.results(caller(), vote_id)


@blp.put("/votes/<vote_id>/support")
@blp.response(200, SupportOut)
def support(vote_id):
    return handlers.support(caller(), vote_id, True)


@blp.delete("/votes/<vote_id>/support")
@blp.response(200, SupportOut)
def withdraw_support(vote_id):
    return handlers.support(caller(), vote_id, False)


@blp.post("/eligibility/register")
@blp.arguments(RegisterImportIn)
@blp.response(200, RegisterReportOut)
def import_register(data):
    return eligibility.import_csv(caller(), data["csv"], replace=data["replace"])


@blp.get("/eligibility/register")
@blp.response(200, RegisterSummaryOut)
def register_summary():
    return eligibility.register_summary(caller())


@blp.post("/eligibility/verification")
@blp.arguments(VerificationIn)
@blp.response(200, VerificationOut)
def verify(data):
    return eligibility.verify(caller(), data)


@blp.get("/eligibility/verification")
@blp.response(200, VerificationOut)
def verification():
    return eligibility.status(caller())


@blp.get("/votes/<vote_id>/comments")
@blp.arguments(ThreadArgs, location="query")
@blp.response(200, DeliberationOut)
def comments(args, vote_id):
    return deliberation.list_comments(caller(), vote_id, args)


@blp.post("/votes/<vote_id>/comments")
@blp.arguments(CommentIn)
@blp.response(201, CommentOut)
def post_comment(data, vote_id):
    return deliberation.post_comment(caller(), vote_id, data)


@blp.get("/me/comments")
@blp.arguments(MineArgs, location="query")
@blp.response(200, MyCommentsOut)
def my_comments(args):
    return deliberation.comments_of(caller(), args["page"], args["per_page"])


@blp.patch("/comments/<comment_id>")
@blp.arguments(CommentEditIn)
@blp.response(200, CommentOut)
def edit_comment(data, comment_id):
    return deliberation.edit_comment(caller(), comment_id, data)


@blp.delete("/comments/<comment_id>")
@blp.response(200, CommentOut)
def delete_comment(comment_id):
    return deliberation.delete_comment(caller(), comment_id)


@blp.post("/comments/<comment_id>/hide")
@blp.arguments(ReasonIn)
@blp.response(200, CommentOut)
def hide_comment(data, comment_id):
    return deliberation.hide_comment(caller(), comment_id, data["reason"])


@blp.post("/comments/<comment_id>/reports")
@blp.arguments(ReasonIn)
@blp.response(201, CommentOut)
def report_comment(data, comment_id):
    return deliberation.report_comment(caller(), comment_id, data["reason"])


@blp.get("/moderation/comments")
@blp.arguments(ReportedArgs, location="query")
@blp.response(200, ReportedPage)
def reported_comments(args):
    return moderation.reported(caller(), args)


@blp.post("/comments/<comment_id>/reports/dismissal")
@blp.response(200, CommentOut)
def dismiss_comment_reports(comment_id):
    return moderation.dismiss_reports(caller(), comment_id)


@blp.put("/comments/<comment_id>/endorsement")
@blp.response(200, CommentOut)
def endorse(comment_id):
    return deliberation.endorse(caller(), comment_id, True)


@blp.delete("/comments/<comment_id>/endorsement")
@blp.response(200, CommentOut)
def withdraw_endorsement(comment_id):
    return deliberation.endorse(caller(), comment_id, False)


@blp.post("/processes/<process_id>/approval-votes")
@blp.arguments(ApprovalIn)
@blp.response(201, ApprovalOut)
def create_approval(data, process_id):
    created = approval.create(caller(), process_id, data)
    return approval.results(caller(), created.id)


@blp.get("/processes/<process_id>/approval-votes")
@blp.response(200, ApprovalListOut)
def approval_votes_of_process(process_id):
    return {"approval_votes": approval.of_process(caller(), process_id)}


@blp.get("/approval-votes/<approval_id>")
@blp.response(200, ApprovalOut)
def approval_results(approval_id):
    return approval.results(caller(), approval_id)


@blp.post("/approval-votes/<approval_id>/open")
@blp.response(200, ApprovalOut)
def open_approval(approval_id):
    approval.open_(caller(), approval_id)
    return approval.results(caller(), approval_id)


@blp.post("/approval-votes/<approval_id>/close")
@blp.response(200, ApprovalOut)
def close_approval(approval_id):
    approval.close(caller(), approval_id)
    return approval.results(caller(), approval_id)


@blp.put("/approval-votes/<approval_id>/ballot")
@blp.arguments(ApprovalBallotIn)
@blp.response(200, ApprovalBallotOut)
def approval_ballot(data, approval_id):
    return approval.cast(caller(), approval_id, data["selections"])
