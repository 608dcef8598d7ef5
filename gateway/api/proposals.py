"""Public API: Proposals, processes, themes and the moderation desk, relayed to the proposals service.

Bodies are validated here with the service's own schemas, then relayed as sent (dates stay strings)."""
from flask import request

from gateway.api.common import AUTH, anyone, blp, members_only, signed_in
from gateway.clients import relay
from proposals import schemas as s


def _body() -> dict:
    return request.get_json(silent=True) or {}


@blp.get("/processes")
@blp.response(200, s.ProcessOut(many=True))
def processes():
    return relay("proposals", "GET", "/api/processes", anyone())


@blp.post("/processes")
@members_only
@blp.arguments(s.ProcessIn)
@blp.response(201, s.ProcessOut)
@blp.doc(security=AUTH)
def create_process(data):
    return relay("proposals", "POST", "/api/processes", signed_in(), json=_body())


@blp.get("/processes/<process_id>")
@blp.response(200, s.ProcessOut)
def get_process(process_id):
    return relay("proposals", "GET", f"/api/processes/{process_id}", anyone())


@blp.patch("/processes/<process_id>")
@members_only
@blp.arguments(s.ProcessEditIn)
@blp.response(200, s.ProcessOut)
@blp.doc(security=AUTH)
def update_process(data, process_id):
    return relay("proposals", "PATCH", f"/api/processes/{process_id}", signed_in(), json=_body())


@blp.get("/themes")
@blp.response(200, s.ThemeOut(many=True))
def themes():
    return relay("proposals", "GET", "/api/themes", anyone())


@blp.post("/themes")
@members_only
@blp.arguments(s.ThemeIn)
@blp.response(201, s.ThemeOut)
@blp.doc(security=AUTH)
def define_theme(data):
    return relay("proposals", "POST", "/api/themes", signed_in(), json=_body())


@blp.post("/proposals")
@members_only
@blp.arguments(s.ProposalIn)
@blp.response(201, s.ProposalOut)
@blp.doc(security=AUTH)
def submit(data):
    return relay("proposals", "POST", "/api/proposals", signed_in(), json=_body())


@blp.post("/proposals/similar")
@blp.arguments(s.SimilarIn)
@blp.response(200, s.SimilarOut(many=True))
def similar(data):
    return relay("proposals", "POST", "/api/proposals/similar", anyone(), json=_body())


@blp.get("/proposals")
@blp.arguments(s.ListArgs, location="query")
@blp.response(200, s.ProposalPage)
def list_(args):
    return relay("proposals", "GET", "/api/proposals", anyone(), params=args)


@blp.get("/proposals/<proposal_id>")
@blp.response(200, s.ProposalOut)
def get(proposal_id):
    return relay("proposals", "GET", f"/api/proposals/{proposal_id}", anyone())


@blp.patch("/proposals/<proposal_id>")
@members_only
@blp.arguments(s.ProposalEditIn)
@blp.response(200, s.ProposalOut)
@blp.doc(security=AUTH)
def edit(data, proposal_id):
    return relay("proposals", "PATCH", f"/api/proposals/{proposal_id}", signed_in(), json=_body())


@blp.get("/proposals/<proposal_id>/versions")
@members_only
@blp.response(200, s.VersionOut(many=True))
@blp.doc(security=AUTH)
def versions(proposal_id):
    return relay("proposals", "GET", f"/api/proposals/{proposal_id}/versions", signed_in())


@blp.put("/proposals/<proposal_id>/translations/<language>")
@members_only
@blp.arguments(s.TranslationIn)
@blp.response(200, s.ProposalOut)
@blp.doc(security=AUTH)
def translate(data, proposal_id, language):
    return relay("proposals", "PUT", f"/api/proposals/{proposal_id}/translations/{language}", signed_in(),
                 json=_body())


@blp.post("/proposals/<proposal_id>/withdraw")
@members_only
@blp.response(200, s.ProposalOut)
@blp.doc(security=AUTH)
def withdraw(proposal_id):
    return relay("proposals", "POST", f"/api/proposals/{proposal_id}/withdraw", signed_in())


@blp.post("/proposals/<proposal_id>/moderation")
@members_only
@blp.arguments(s.ModerationIn)
@blp.response(200, s.ProposalOut)
@blp.doc(security=AUTH)
def moderate(data, proposal_id):
    return relay("proposals", "POST", f"/api/proposals/{proposal_id}/moderation", signed_in(), json=_body())


@blp.post("/proposals/<proposal_id>/reports")
@members_only
@blp.arguments(s.ReportIn)
@blp.response(201, s.ReportOut)
@blp.doc(security=AUTH)
def report(data, proposal_id):
    return relay("proposals", "POST", f"/api/proposals/{proposal_id}/reports", signed_in(), json=_body())


@blp.post("/proposals/<proposal_id>/duplicate")
@members_only
@blp.arguments(s.DuplicateIn)
@blp.response(200, s.ProposalOut)
@blp.doc(security=AUTH)
def duplicate(data, proposal_id):
    return relay("proposals", "POST", f"/api/proposals/{proposal_id}/duplicate", signed_in(), json=_body())


@blp.post("/workshop-input")
@members_only
@blp.arguments(s.WorkshopInputIn)
@blp.response(201, s.ProposalOut)
@blp.doc(security=AUTH)
def workshop_input(data):
    return relay("proposals", "POST", "/api/workshop-input", signed_in(), json=_body())


@blp.get("/moderation/queue")
@members_only
@blp.arguments(s.QueueArgs, location="query")
@blp.response(200, s.QueueOut)
@blp.doc(security=AUTH)
def queue(args):
    return relay("proposals", "GET", "/api/moderation/queue", signed_in(), params=args)


@blp.post("/moderation/bulk")
@members_only
@blp.arguments(s.BulkIn)
@blp.response(200, s.BulkOut)
@blp.doc(security=AUTH)
def bulk(data):
    return relay("proposals", "POST", "/api/moderation/bulk", signed_in(), json=_body())


@blp.get("/moderation/reasons")
@blp.response(200, s.ReasonOut(many=True))
def reasons():
    return relay("proposals", "GET", "/api/moderation/reasons", anyone())


@blp.get("/moderation/settings")
@members_only
@blp.response(200, s.SettingsOut)
@blp.doc(security=AUTH)
def moderation_settings():
    return relay("proposals", "GET", "/api/moderation/settings", signed_in())


@blp.patch("/moderation/settings")
@members_only
@blp.arguments(s.SettingsIn)
@blp.response(200, s.SettingsOut)
@blp.doc(security=AUTH)
def change_moderation_settings(data):
    return relay("proposals", "PATCH", "/api/moderation/settings", signed_in(), json=_body())


@blp.get("/moderation/audit")
@members_only
@blp.arguments(s.AuditArgs, location="query")
@blp.response(200, s.AuditPage)
@blp.doc(security=AUTH)
def audit(args):
    return relay("proposals", "GET", "/api/moderation/audit", signed_in(), params=args)


@blp.get("/moderation/audit.csv")
@members_only
@blp.arguments(s.AuditArgs, location="query")
@blp.doc(security=AUTH)
def audit_csv(args):
    """The audit log as CSV (text/csv)."""
    return relay("proposals", "GET", "/api/moderation/audit.csv", signed_in(), params=args)


@blp.get("/moderation/blocks")
@members_only
@blp.response(200, s.BlockOut(many=True))
@blp.doc(security=AUTH)
def blocks():
    return relay("proposals", "GET", "/api/moderation/blocks", signed_in())


@blp.put("/moderation/blocks/<user_id>")
@members_only
@blp.arguments(s.BlockIn)
@blp.response(200, s.BlockOut)
@blp.doc(security=AUTH)
def block(data, user_id):
    return relay("proposals", "PUT", f"/api/moderation/blocks/{user_id}", signed_in(), json=_body())


@blp.delete("/moderation/blocks/<user_id>")
@members_only
@blp.response(200, s.BlockOut)
@blp.doc(security=AUTH)
def unblock(user_id):
    return relay("proposals", "DELETE", f"/api/moderation/blocks/{user_id}", signed_in())
