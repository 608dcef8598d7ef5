"""HTTP API of the proposals service (called by the gateway with a service token)."""
from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from proposals import desk, handlers, moderation, processes, search
from proposals import schemas as s
from proposals.schemas import LANGUAGES
from services.auth import caller
from services.errors import NotFound

blp = Blueprint("proposals", __name__, url_prefix="/api")


@blp.post("/proposals")
@blp.arguments(s.ProposalIn)
@blp.response(201, s.ProposalOut)
def submit(data):
    return handlers.submit_proposal(caller(), data)


@blp.post("/proposals/similar")
@blp.arguments(s.SimilarIn)
@blp.response(200, s.SimilarOut(many=True))
def similar(data):
    return handlers.suggest(caller(), data)


@blp.get("/proposals")
@blp.arguments(s.ListArgs, location="query")
@blp.response(200, s.ProposalPage)
def list_(args):
    return search.list_proposals(caller(), args)


@blp.get("/proposals/<proposal_id>")
@blp.response(200, s.ProposalOut)
def get(proposal_id):
    return handlers.get_proposal(caller(), proposal_id)


@blp.patch("/proposals/<proposal_id>")
@blp.arguments(s.ProposalEditIn)
@blp.response(200, s.ProposalOut)
def edit(data, proposal_id):
    return handlers.edit_proposal(caller(), proposal_id, data)


@blp.get("/proposals/<proposal_id>/versions")
@blp.response(200, s.VersionOut(many=True))
def versions(proposal_id):
    return handlers.versions(caller(), proposal_id)


@blp.put("/proposals/<proposal_id>/translations/<language>")
@blp.arguments(s.TranslationIn)
@blp.response(200, s.ProposalOut)
def translate(data, proposal_id, language):
    if language not in LANGUAGES:
        raise NotFound("Unknown language.")
    return handlers.add_translation(caller(), proposal_id, language, data)


@blp.post("/proposals/<proposal_id>/withdraw")
@blp.response(200, s.ProposalOut)
def withdraw(proposal_id):
    return handlers.withdraw_proposal(caller(), proposal_id)


@blp.post("/proposals/<proposal_id>/moderation")
@blp.arguments(s.ModerationIn)
@blp.response(200, s.ProposalOut)
def moderate(data, proposal_id):
    return moderation.moderate_proposal(caller(), proposal_id, data)


@blp.post("/proposals/<proposal_id>/reports")
@blp.arguments(s.ReportIn)
@blp.response(201, s.ReportOut)
def report(data, proposal_id):
    return moderation.report(caller(), proposal_id, data)


@blp.post("/proposals/<proposal_id>/duplicate")
@blp.arguments(s.DuplicateIn)
@blp.response(200, s.ProposalOut)
def duplicate(data, proposal_id):
    return moderation.mark_duplicate(caller(), proposal_id, data)


@blp.post("/workshop-input")
@blp.arguments(s.WorkshopInputIn)
@blp.response(201, s.ProposalOut)
def workshop_input(data):
    return handlers.record_workshop_input(caller(), data)


@blp.get("/moderation/queue")
@blp.arguments(s.QueueArgs, location="query")
@blp.response(200, s.QueueOut)
def queue(args):
    return desk.queue(caller(), args)


@blp.post("/moderation/bulk")
@blp.arguments(s.BulkIn)
@blp.response(200, s.BulkOut)
def bulk(data):
    return moderation.bulk(caller(), data)


@blp.get("/moderation/reasons")
@blp.response(200, s.ReasonOut(many=True))
def reasons():
    return desk.reasons()


@blp.get("/moderation/settings")
@blp.response(200, s.SettingsOut)
def get_settings():
    return desk.get_settings_of(caller())


@blp.patch("/moderation/settings")
@blp.arguments(s.SettingsIn)
@blp.response(200, s.SettingsOut)
def change_settings(data):
    return desk.change_settings(caller(), data)


@blp.get("/moderation/audit")
@blp.arguments(s.AuditArgs, location="query")
@blp.response(200, s.AuditPage)
def audit(args):
    return desk.audit_log(caller(), args)


@blp.get("/moderation/audit.csv")
@blp.arguments(s.AuditArgs, location="query")
def audit_csv(args):
    return Response(desk.audit_csv(caller(), args), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="moderation-audit.csv"'})


@blp.get("/moderation/blocks")
@blp.response(200, s.BlockOut(many=True))
def blocks():
    return desk.blocked(caller())


@blp.put("/moderation/blocks/<user_id>")
@blp.arguments(s.BlockIn)
@blp.response(200, s.BlockOut)
def block(data, user_id):
    return desk.block(caller(), user_id, data)


@blp.delete("/moderation/blocks/<user_id>")
@blp.response(200, s.BlockOut)
def unblock(user_id):
    return desk.unblock(caller(), user_id)


@blp.get("/processes")
@blp.response(200, s.ProcessOut(many=True))
def list_processes():
    return processes.list_processes(caller())


@blp.post("/processes")
@blp.arguments(s.ProcessIn)
@blp.response(201, s.ProcessOut)
def create_process(data):
    return processes.create_process(caller(), data)


@blp.get("/processes/<process_id>")
@blp.response(200, s.ProcessOut)
def get_process(process_id):
    return processes.get_process(caller(), process_id)


@blp.patch("/processes/<process_id>")
@blp.arguments(s.ProcessEditIn)
@blp.response(200, s.ProcessOut)
def update_process(data, process_id):
    return processes.update_process(caller(), process_id, data)


@blp.get("/themes")
@blp.response(200, s.ThemeOut(many=True))
def themes():
    return processes.themes(caller())


@blp.post("/themes")
@blp.arguments(s.ThemeIn)
@blp.response(201, s.ThemeOut)
def define_theme(data):
    return processes.define_theme(caller(), data)
