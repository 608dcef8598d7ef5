"""Public API: Voting, relayed to the voting service."""
from flask import request

from gateway.api.common import AUTH, anyone, blp, members_only, signed_in
from gateway.clients import first_ballot, follow, relay
from voting.schemas import (
    ApprovalBallotIn,
    ApprovalBallotOut,
    ApprovalIn,
    ApprovalOut,
    BallotIn,
    BallotOut,
    CommentEditIn,
    CommentIn,
    CommentOut,
    DeliberationOut,
    ReasonIn,
    ReceiptOut,
    RegisterImportIn,
    RegisterReportOut,
    RegisterSummaryOut,
    ResultsOut,
    RulesIn,
    RulesOut,
    SupportOut,
    VerificationIn,
    VerificationOut,
    VoteOut,
    WindowIn,
)


def _json():
    return request.get_json(silent=True)


@blp.post("/proposals/<proposal_id>/voting/open")
@members_only
@blp.response(200, VoteOut)
@blp.doc(security=AUTH)
def open_voting(proposal_id):
    return relay("voting", "POST", f"/api/votes/{proposal_id}/open", signed_in())


@blp.post("/proposals/<proposal_id>/voting/close")
@members_only
@blp.response(200, VoteOut)
@blp.doc(security=AUTH)
def close_voting(proposal_id):
    return relay("voting", "POST", f"/api/votes/{proposal_id}/close", signed_in())


@blp.put("/proposals/<proposal_id>/voting/window")
@members_only
@blp.arguments(WindowIn)
@blp.response(200, VoteOut)
@blp.doc(security=AUTH, description="Staff schedule the vote: it opens and closes by itself on time.")
def voting_window(data, proposal_id):
    return relay("voting", "PUT", f"/api/votes/{proposal_id}/window", signed_in(), json=_json())


@blp.put("/proposals/<proposal_id>/voting/rules")
@members_only
@blp.arguments(RulesIn)
@blp.response(200, RulesOut)
@blp.doc(security=AUTH, description="Staff override the process's voting rules for this vote, before it opens.")
def voting_rules(data, proposal_id):
    return relay("voting", "PUT", f"/api/votes/{proposal_id}/rules", signed_in(), json=_json())


@blp.get("/processes/<process_id>/voting-rules")
@blp.response(200, RulesOut)
def process_voting_rules(process_id):
    return relay("voting", "GET", f"/api/processes/{process_id}/rules", anyone())


@blp.put("/processes/<process_id>/voting-rules")
@members_only
@blp.arguments(RulesIn)
@blp.response(200, RulesOut)
@blp.doc(security=AUTH)
def set_process_voting_rules(data, process_id):
    return relay("voting", "PUT", f"/api/processes/{process_id}/rules", signed_in(), json=_json())


@blp.put("/proposals/<proposal_id>/ballot")
@members_only
@blp.arguments(BallotIn)
@blp.response(200, BallotOut)
@blp.doc(security=AUTH)
def ballot(data, proposal_id):
    answer = relay("voting", "PUT", f"/api/votes/{proposal_id}/ballot", signed_in(), json=data)
    if answer.status_code == 200 and first_ballot(answer.get_json(silent=True)):  # voters hear the reply, never anyone's choice
        follow(signed_in(), proposal_id, "voted")
    return answer


@blp.get("/receipts/<code>")
@blp.response(200, ReceiptOut)
@blp.doc(description="Confirms that the ballot with this receipt was recorded or counted; never the choice.")
def receipt(code):
    return relay("voting", "GET", f"/api/receipts/{code}", anyone())


@blp.get("/proposals/<proposal_id>/results")
@blp.response(200, ResultsOut)
def results(proposal_id):
    return relay("voting", "GET", f"/api/votes/{proposal_id}/results", anyone())


@blp.put("/proposals/<proposal_id>/support")
@members_only
@blp.response(200, SupportOut)
@blp.doc(security=AUTH)
def support(proposal_id):
    answer = relay("voting", "PUT", f"/api/votes/{proposal_id}/support", signed_in())
    if answer.status_code < 300:
        follow(signed_in(), proposal_id, "supported")
    return answer


@blp.delete("/proposals/<proposal_id>/support")
@members_only
@blp.response(200, SupportOut)
@blp.doc(security=AUTH)
def withdraw_support(proposal_id):
    return relay("voting", "DELETE", f"/api/votes/{proposal_id}/support", signed_in())


@blp.post("/eligibility/register")
@members_only
@blp.arguments(RegisterImportIn)
@blp.response(200, RegisterReportOut)
@blp.doc(security=AUTH, description="Staff import the register of eligible residents (CSV: reference,"
                                    "date_of_birth). Larger files: `civic eligibility import`.")
def import_register(data):
    return relay("voting", "POST", "/api/eligibility/register", signed_in(), json=_json(), timeout=120)


@blp.get("/eligibility/register")
@members_only
@blp.response(200, RegisterSummaryOut)
@blp.doc(security=AUTH)
def register_summary():
    return relay("voting", "GET", "/api/eligibility/register", signed_in())


@blp.post("/eligibility/verification")
@members_only
@blp.arguments(VerificationIn)
@blp.response(200, VerificationOut)
@blp.doc(security=AUTH, description="A resident proves they are on the register (reference and date of birth).")
def verify(data):
    return relay("voting", "POST", "/api/eligibility/verification", signed_in(), json=data)


@blp.get("/eligibility/verification")
@members_only
@blp.response(200, VerificationOut)
@blp.doc(security=AUTH)
def verification():
    return relay("voting", "GET", "/api/eligibility/verification", signed_in())


# --- deliberation ------------------------------------------------------------------------------

@blp.get("/proposals/<proposal_id>/comments")
@blp.response(200, DeliberationOut)
@blp.doc(description="The thread (replies carry parent_id and depth), counts per alignment and the most "
                     "endorsed arguments for and against.")
def comments(proposal_id):
    return relay("voting", "GET", f"/api/votes/{proposal_id}/comments", anyone())


@blp.post("/proposals/<proposal_id>/comments")
@members_only
@blp.arguments(CommentIn)
@blp.response(201, CommentOut)
@blp.doc(security=AUTH)
def post_comment(data, proposal_id):
    return relay("voting", "POST", f"/api/votes/{proposal_id}/comments", signed_in(), json=data)


@blp.patch("/comments/<comment_id>")
@members_only
@blp.arguments(CommentEditIn)
@blp.response(200, CommentOut)
@blp.doc(security=AUTH, description="The author edits within the edit window (CIVIC_COMMENT_EDIT_MINUTES).")
def edit_comment(data, comment_id):
    return relay("voting", "PATCH", f"/api/comments/{comment_id}", signed_in(), json=data)


@blp.delete("/comments/<comment_id>")
@members_only
@blp.response(200, CommentOut)
@blp.doc(security=AUTH)
def delete_comment(comment_id):
    return relay("voting", "DELETE", f"/api/comments/{comment_id}", signed_in())


@blp.post("/comments/<comment_id>/hide")
@members_only
@blp.arguments(ReasonIn)
@blp.response(200, CommentOut)
@blp.doc(security=AUTH)
def hide_comment(data, comment_id):
    return relay("voting", "POST", f"/api/comments/{comment_id}/hide", signed_in(), json=data)


@blp.post("/comments/<comment_id>/reports")
@members_only
@blp.arguments(ReasonIn)
@blp.response(201, CommentOut)
@blp.doc(security=AUTH)
def report_comment(data, comment_id):
    return relay("voting", "POST", f"/api/comments/{comment_id}/reports", signed_in(), json=data)


@blp.put("/comments/<comment_id>/endorsement")
@members_only
@blp.response(200, CommentOut)
@blp.doc(security=AUTH)
def endorse(comment_id):
    return relay("voting", "PUT", f"/api/comments/{comment_id}/endorsement", signed_in())


@blp.delete("/comments/<comment_id>/endorsement")
@members_only
@blp.response(200, CommentOut)
@blp.doc(security=AUTH)
def withdraw_endorsement(comment_id):
    return relay("voting", "DELETE", f"/api/comments/{comment_id}/endorsement", signed_in())


# --- approval ballots over several measures ------------------------------------------------------

@blp.post("/processes/<process_id>/approval-votes")
@members_only
@blp.arguments(ApprovalIn)
@blp.response(201, ApprovalOut)
@blp.doc(security=AUTH, description="Staff set up a process-level approval ballot: residents select up to "
                                    "max_selections of the measures.")
def create_approval(data, process_id):
    return relay("voting", "POST", f"/api/processes/{process_id}/approval-votes", signed_in(), json=_json())


@blp.get("/approval-votes/<approval_id>")
@blp.response(200, ApprovalOut)
def approval_results(approval_id):
    return relay("voting", "GET", f"/api/approval-votes/{approval_id}", anyone())


@blp.post("/approval-votes/<approval_id>/open")
@members_only
@blp.response(200, ApprovalOut)
@blp.doc(security=AUTH)
def open_approval(approval_id):
    return relay("voting", "POST", f"/api/approval-votes/{approval_id}/open", signed_in())


@blp.post("/approval-votes/<approval_id>/close")
@members_only
@blp.response(200, ApprovalOut)
@blp.doc(security=AUTH)
def close_approval(approval_id):
    return relay("voting", "POST", f"/api/approval-votes/{approval_id}/close", signed_in())


@blp.put("/approval-votes/<approval_id>/ballot")
@members_only
@blp.arguments(ApprovalBallotIn)
@blp.response(200, ApprovalBallotOut)
@blp.doc(security=AUTH)
def approval_ballot(data, approval_id):
    return relay("voting", "PUT", f"/api/approval-votes/{approval_id}/ballot", signed_in(), json=data)
