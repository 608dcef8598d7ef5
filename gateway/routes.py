"""The public operations of the gateway, one row each: the only place they are declared.

A row says the public method and path (under /api/v1), the inner service and path it is relayed
to (same method), who may call it (`gateway.access`), the schemas of its query, body and answer,
and its summary. `gateway.api.relay` makes the views and their OpenAPI entries from the rows;
the pages call the same rows through `gateway.inner`; `tests/e2e/test_authorisation.py` walks
them. Rows without an inner path are the gateway's own data (accounts and sign-in in
`gateway.api.accounts`, municipalities in `gateway.api.municipalities`), written by hand because
they do more than relay.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from marshmallow import Schema

from forwarding import schemas as f
from gateway import schemas as g
from gateway.access import (
    ADDRESSED,
    AUTHORS,
    EVERYONE,
    EVERYONE_NATIONAL,
    INSTITUTIONS,
    MEMBERS,
    NATIONAL,
    OPERATORS,
    OWN,
    RESIDENTS,
    SELF,
    STAFF_ONLY,
    Access,
)
from notifications import schemas as n
from proposals import schemas as p
from services.status import PlatformStatusOut
from voting import schemas as v

_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Op:
    name: str                      # the operationId, and how pages name the call
    method: str
    path: str                      # public path under /api/v1 (after /m/{municipality} when municipal),
                                   # OpenAPI style: /proposals/{proposal_id}
    access: Access
    tag: str
    summary: str
    service: str | None = None     # None: the gateway's own operation (hand-written view)
    inner: str | None = None       # the inner service's path, same placeholders
    query: type[Schema] | None = None
    body: type[Schema] | Schema | None = None
    out: Schema | type[Schema] | None = None
    status: int = 200
    timeout: float = 15.0
    fixed_body: dict | None = None  # sent inward instead of the caller's body
    within: str | None = None       # an operation that must find the parent (same path values) for
                                    # this caller first: the inner service alone cannot tell its tenant
    extra: dict = field(default_factory=dict)  # more OpenAPI for the operation (parameters, description)
    personal: bool = False          # the caller's own records wherever they are (the inbox): no /m/ prefix
    produces: str | None = None     # the media type of an answer that is not JSON (a PDF, a CSV, an image)

    @property
    def municipal(self) -> bool:
        """Whether the operation acts within one municipality, named in its path (/m/{municipality}/...)."""
        national = {tenant for _, tenant in self.access.roles} <= {NATIONAL, ADDRESSED}
        return not (national or self.personal)

    @property
    def api_path(self) -> str:
        """The path under /api/v1 as callers use it: municipal operations carry the municipality."""
        return f"/m/{{municipality}}{self.path}" if self.municipal else self.path

    @property
    def flask_path(self) -> str:
        return _PARAM.sub(r"<\1>", self.api_path)

    @property
    def params(self) -> list[str]:
        return _PARAM.findall(self.path)


PORTAL_KEY = {"parameters": [{"in": "header", "name": "X-Api-Key", "required": False,
                              "schema": {"type": "string"},
                              "description": "The institution's API key (instead of ?token= or a bearer token)."}]}
OPEN_RULES = Access.of(anonymous=OWN, resident=OWN, staff=OWN, institution=OWN, operator=OWN)
INBOX_OWNERS = Access.of(resident=SELF, staff=SELF, institution=SELF)
BREAKER_READERS = Access.of(staff=NATIONAL, operator=NATIONAL)
SELF_RESIDENT = Access.of(resident=SELF)


def _ops(service: str, tag: str, rows: list[tuple]) -> list[Op]:
    """Rows of (name, "METHOD /public", "/inner", access, summary, {options})."""
    ops = []
    for name, public, inner, access, summary, *options in rows:
        method, path = public.split(" ", 1)
        ops.append(Op(name, method, path, access, tag, summary, service, inner, **(options[0] if options else {})))
    return ops


ACCOUNTS = [
    Op("register", "POST", "/auth/register", EVERYONE_NATIONAL, "accounts", "Open a resident's account.",
       body=g.RegisterIn, out=g.AccountOut, status=201),
    Op("login", "POST", "/auth/login", EVERYONE_NATIONAL, "accounts", "Sign in: a bearer token for the API.",
       body=g.LoginIn, out=g.TokenOut),
]

MUNICIPALITIES = [
    Op("list_municipalities", "GET", "/municipalities", EVERYONE_NATIONAL, "municipalities",
       "The municipalities on this platform.", out=g.MunicipalityOut(many=True)),
    Op("get_municipality", "GET", "/municipalities/{code}", EVERYONE_NATIONAL, "municipalities",
       "One municipality: languages, time zone, branding.", out=g.MunicipalityOut),
    Op("coat_of_arms", "GET", "/municipalities/{code}/coat-of-arms", EVERYONE_NATIONAL, "municipalities",
       "The municipality's coat of arms (PNG or JPEG).", produces="image/png"),
    Op("create_municipality", "POST", "/municipalities", OPERATORS, "municipalities",
       "Add a municipality (platform operators).", body=g.MunicipalityIn, out=g.MunicipalityOut, status=201),
    Op("update_municipality", "PATCH", "/municipalities/{code}", OPERATORS, "municipalities",
       "Change a municipality's name, languages, time zone or branding (platform operators).",
       body=g.MunicipalityPatch(partial=True), out=g.MunicipalityOut),
]

PROPOSALS = _ops("proposals", "proposals", [
    ("list_processes", "GET /processes", "/api/processes", EVERYONE, "The municipality's participatory processes.",
     {"out": p.ProcessOut(many=True)}),
    ("create_process", "POST /processes", "/api/processes", STAFF_ONLY, "Start a process with its phases.",
     {"body": p.ProcessIn, "out": p.ProcessOut, "status": 201}),
    ("get_process", "GET /processes/{process_id}", "/api/processes/{process_id}", EVERYONE, "One process.",
     {"out": p.ProcessOut}),
    ("update_process", "PATCH /processes/{process_id}", "/api/processes/{process_id}", STAFF_ONLY,
     "Edit a process (phases, themes, dates).", {"body": p.ProcessEditIn, "out": p.ProcessOut}),
    ("list_themes", "GET /themes", "/api/themes", EVERYONE, "The themes and their default competence.",
     {"out": p.ThemeOut(many=True)}),
    ("define_theme", "POST /themes", "/api/themes", STAFF_ONLY, "Define a theme.",
     {"body": p.ThemeIn, "out": p.ThemeOut, "status": 201}),
    ("submit_proposal", "POST /proposals", "/api/proposals", MEMBERS, "Submit a proposal for moderation.",
     {"body": p.ProposalIn, "out": p.ProposalOut, "status": 201}),
    ("similar_proposals", "POST /proposals/similar", "/api/proposals/similar", EVERYONE,
     "Proposals like a draft, before it is submitted.", {"body": p.SimilarIn, "out": p.SimilarOut(many=True)}),
    ("list_proposals", "GET /proposals", "/api/proposals", EVERYONE, "Search and list proposals.",
     {"query": p.ListArgs, "out": p.ProposalPage}),
    ("get_proposal", "GET /proposals/{proposal_id}", "/api/proposals/{proposal_id}", EVERYONE, "One proposal.",
     {"out": p.ProposalOut}),
    ("edit_proposal", "PATCH /proposals/{proposal_id}", "/api/proposals/{proposal_id}", AUTHORS,
     "The author edits the proposal (a new version).", {"body": p.ProposalEditIn, "out": p.ProposalOut}),
    ("proposal_versions", "GET /proposals/{proposal_id}/versions", "/api/proposals/{proposal_id}/versions",
     Access.of(resident=SELF, staff=OWN), "Earlier versions (the author and staff).",
     {"out": p.VersionOut(many=True)}),
    ("translate_proposal", "PUT /proposals/{proposal_id}/translations/{language}",
     "/api/proposals/{proposal_id}/translations/{language}", Access.of(resident=SELF, staff=OWN),
     "Add or correct a translation.", {"body": p.TranslationIn, "out": p.ProposalOut}),
    ("withdraw_proposal", "POST /proposals/{proposal_id}/withdraw", "/api/proposals/{proposal_id}/withdraw",
     SELF_RESIDENT, "The author withdraws the proposal.", {"out": p.ProposalOut}),
    ("moderate_proposal", "POST /proposals/{proposal_id}/moderation", "/api/proposals/{proposal_id}/moderation",
     STAFF_ONLY, "Approve (with competence), reject, request changes, hide or restore.",
     {"body": p.ModerationIn, "out": p.ProposalOut}),
    ("report_proposal", "POST /proposals/{proposal_id}/reports", "/api/proposals/{proposal_id}/reports",
     RESIDENTS, "Report a proposal to the moderators.", {"body": p.ReportIn, "out": p.ReportOut, "status": 201}),
    ("mark_duplicate", "POST /proposals/{proposal_id}/duplicate", "/api/proposals/{proposal_id}/duplicate",
     STAFF_ONLY, "Mark a proposal as a duplicate of another.", {"body": p.DuplicateIn, "out": p.ProposalOut}),
    ("workshop_input", "POST /workshop-input", "/api/workshop-input", STAFF_ONLY,
     "Record a measure shaped in a focus group or workshop, with its provenance.",
     {"body": p.WorkshopInputIn, "out": p.ProposalOut, "status": 201}),
    ("moderation_queue", "GET /moderation/queue", "/api/moderation/queue", STAFF_ONLY,
     "The moderation desk's queue.", {"query": p.QueueArgs, "out": p.QueueOut}),
    ("moderate_in_bulk", "POST /moderation/bulk", "/api/moderation/bulk", STAFF_ONLY,
     "One decision for many proposals.", {"body": p.BulkIn, "out": p.BulkOut}),
    ("moderation_reasons", "GET /moderation/reasons", "/api/moderation/reasons", EVERYONE,
     "The library of rejection reasons.", {"out": p.ReasonOut(many=True)}),
    ("moderation_settings", "GET /moderation/settings", "/api/moderation/settings", STAFF_ONLY,
     "The municipality's moderation settings.", {"out": p.SettingsOut}),
    ("change_moderation_settings", "PATCH /moderation/settings", "/api/moderation/settings", STAFF_ONLY,
     "Change the moderation settings.", {"body": p.SettingsIn, "out": p.SettingsOut}),
    ("moderation_audit", "GET /moderation/audit", "/api/moderation/audit", STAFF_ONLY,
     "The audit log of moderation decisions.", {"query": p.AuditArgs, "out": p.AuditPage}),
    ("moderation_audit_csv", "GET /moderation/audit.csv", "/api/moderation/audit.csv", STAFF_ONLY,
     "The audit log as CSV (text/csv).", {"query": p.AuditArgs, "produces": "text/csv"}),
    ("list_blocks", "GET /moderation/blocks", "/api/moderation/blocks", STAFF_ONLY, "Blocked accounts.",
     {"out": p.BlockOut(many=True)}),
    ("block_user", "PUT /moderation/blocks/{user_id}", "/api/moderation/blocks/{user_id}", STAFF_ONLY,
     "Block an account from submitting and commenting.", {"body": p.BlockIn, "out": p.BlockOut}),
    ("unblock_user", "DELETE /moderation/blocks/{user_id}", "/api/moderation/blocks/{user_id}", STAFF_ONLY,
     "Lift a block.", {"out": p.BlockOut}),
])

VOTING = _ops("voting", "voting", [
    ("open_voting", "POST /proposals/{proposal_id}/voting/open", "/api/votes/{proposal_id}/open", STAFF_ONLY,
     "Open the vote now (its rules are frozen).", {"out": v.VoteOut}),
    ("close_voting", "POST /proposals/{proposal_id}/voting/close", "/api/votes/{proposal_id}/close", STAFF_ONLY,
     "Close the vote now: the conclusion follows.", {"out": v.VoteOut}),
    ("schedule_voting", "PUT /proposals/{proposal_id}/voting/window", "/api/votes/{proposal_id}/window",
     STAFF_ONLY, "Schedule the vote: it opens and closes by itself on time.", {"body": v.WindowIn, "out": v.VoteOut}),
    ("set_vote_rules", "PUT /proposals/{proposal_id}/voting/rules", "/api/votes/{proposal_id}/rules", STAFF_ONLY,
     "Override the process's voting rules for this vote, before it opens.", {"body": v.RulesIn, "out": v.RulesOut}),
    ("process_voting_rules", "GET /processes/{process_id}/voting-rules", "/api/processes/{process_id}/rules",
     OPEN_RULES, "A process's voting rules.", {"out": v.RulesOut, "within": "get_process"}),
    ("set_process_voting_rules", "PUT /processes/{process_id}/voting-rules", "/api/processes/{process_id}/rules",
     STAFF_ONLY, "Set a process's voting rules.", {"body": v.RulesIn, "out": v.RulesOut, "within": "get_process"}),
    ("cast_ballot", "PUT /proposals/{proposal_id}/ballot", "/api/votes/{proposal_id}/ballot", RESIDENTS,
     "Cast or change a ballot (an eligible, verified resident).", {"body": v.BallotIn, "out": v.BallotOut}),
    ("check_receipt", "GET /receipts/{code}", "/api/receipts/{code}", EVERYONE_NATIONAL,
     "Whether the ballot with this receipt was recorded or counted; never the choice.", {"out": v.ReceiptOut}),
    ("vote_results", "GET /proposals/{proposal_id}/results", "/api/votes/{proposal_id}/results", EVERYONE,
     "The vote's state, and its results once they may be shown.", {"out": v.ResultsOut}),
    ("support_proposal", "PUT /proposals/{proposal_id}/support", "/api/votes/{proposal_id}/support", RESIDENTS,
     "Support a proposal (public endorsement, not a ballot).", {"out": v.SupportOut}),
    ("withdraw_support", "DELETE /proposals/{proposal_id}/support", "/api/votes/{proposal_id}/support",
     RESIDENTS, "Withdraw one's support.", {"out": v.SupportOut}),
    ("import_register", "POST /eligibility/register", "/api/eligibility/register", STAFF_ONLY,
     "Import the register of eligible residents (CSV: reference,date_of_birth). Larger files: "
     "`civic eligibility import`.", {"body": v.RegisterImportIn, "out": v.RegisterReportOut, "timeout": 120}),
    ("register_summary", "GET /eligibility/register", "/api/eligibility/register", STAFF_ONLY,
     "Counts of the register.", {"out": v.RegisterSummaryOut}),
    ("verify_eligibility", "POST /eligibility/verification", "/api/eligibility/verification", SELF_RESIDENT,
     "Prove one is on the register (reference and date of birth).", {"body": v.VerificationIn,
                                                                       "out": v.VerificationOut}),
    ("eligibility_status", "GET /eligibility/verification", "/api/eligibility/verification", SELF_RESIDENT,
     "Whether one is verified and eligible.", {"out": v.VerificationOut}),
    ("list_comments", "GET /proposals/{proposal_id}/comments", "/api/votes/{proposal_id}/comments", EVERYONE,
     "The thread, counts per alignment and the most endorsed arguments for and against.",
     {"out": v.DeliberationOut}),
    ("post_comment", "POST /proposals/{proposal_id}/comments", "/api/votes/{proposal_id}/comments", MEMBERS,
     "Comment, or argue for or against.", {"body": v.CommentIn, "out": v.CommentOut, "status": 201}),
    ("edit_comment", "PATCH /comments/{comment_id}", "/api/comments/{comment_id}", AUTHORS,
     "The author edits within the edit window (CIVIC_COMMENT_EDIT_MINUTES).",
     {"body": v.CommentEditIn, "out": v.CommentOut}),
    ("delete_comment", "DELETE /comments/{comment_id}", "/api/comments/{comment_id}", AUTHORS,
     "The author deletes a comment.", {"out": v.CommentOut}),
    ("hide_comment", "POST /comments/{comment_id}/hide", "/api/comments/{comment_id}/hide", STAFF_ONLY,
     "Hide a comment, with the reason.", {"body": v.ReasonIn, "out": v.CommentOut}),
    ("report_comment", "POST /comments/{comment_id}/reports", "/api/comments/{comment_id}/reports", RESIDENTS,
     "Report a comment to the moderators.", {"body": v.ReasonIn, "out": v.CommentOut, "status": 201}),
    ("endorse_comment", "PUT /comments/{comment_id}/endorsement", "/api/comments/{comment_id}/endorsement",
     RESIDENTS, "Endorse an argument.", {"out": v.CommentOut}),
    ("withdraw_endorsement", "DELETE /comments/{comment_id}/endorsement", "/api/comments/{comment_id}/endorsement",
     RESIDENTS, "Withdraw an endorsement.", {"out": v.CommentOut}),
    ("create_approval_vote", "POST /processes/{process_id}/approval-votes", "/api/processes/{process_id}/approval-votes",
     STAFF_ONLY, "Set up an approval ballot over several measures (up to max_selections each).",
     {"body": v.ApprovalIn, "out": v.ApprovalOut, "status": 201, "within": "get_process"}),
    ("approval_vote", "GET /approval-votes/{approval_id}", "/api/approval-votes/{approval_id}", EVERYONE,
     "An approval ballot and its results once they may be shown.", {"out": v.ApprovalOut}),
    ("open_approval_vote", "POST /approval-votes/{approval_id}/open", "/api/approval-votes/{approval_id}/open",
     STAFF_ONLY, "Open an approval ballot.", {"out": v.ApprovalOut}),
    ("close_approval_vote", "POST /approval-votes/{approval_id}/close", "/api/approval-votes/{approval_id}/close",
     STAFF_ONLY, "Close an approval ballot.", {"out": v.ApprovalOut}),
    ("cast_approval_ballot", "PUT /approval-votes/{approval_id}/ballot", "/api/approval-votes/{approval_id}/ballot",
     RESIDENTS, "Cast or change an approval ballot.", {"body": v.ApprovalBallotIn, "out": v.ApprovalBallotOut}),
])

FORWARDING = _ops("forwarding", "forwarding", [
    ("forwarding_status", "GET /proposals/{proposal_id}/forwarding", "/api/proposals/{proposal_id}/dossiers",
     EVERYONE, "The dossiers of a conclusion and where each stands.", {"out": f.ForwardingOut,
                                                                       "within": "get_proposal"}),
    ("review_forwarding", "POST /proposals/{proposal_id}/forwarding/review", "/api/proposals/{proposal_id}/review",
     STAFF_ONLY, "Confirm or change the institutions a conclusion goes to.",
     {"body": f.ReviewIn, "out": f.ForwardingOut}),
    ("published_replies", "GET /proposals/{proposal_id}/replies", "/api/proposals/{proposal_id}/replies",
     EVERYONE, "The institutions' replies, in public.", {"out": f.RepliesOut, "within": "get_proposal"}),
    ("retry_dossier", "POST /dossiers/{dossier_id}/retry", "/api/dossiers/{dossier_id}/retry", STAFF_ONLY,
     "Dispatch an abandoned dossier again.", {"out": f.DossierOut}),
    ("mark_dossier_sent", "POST /dossiers/{dossier_id}/sent", "/api/dossiers/{dossier_id}/sent", STAFF_ONLY,
     "Record that a manual dossier was sent.", {"body": f.MarkSentIn, "out": f.DossierOut}),
    ("record_postal_reply", "POST /dossiers/{dossier_id}/replies", "/api/dossiers/{dossier_id}/replies",
     STAFF_ONLY, "Record a reply that came by post (marked as such).",
     {"body": f.ReplyIn, "out": f.DossierOut, "status": 201}),
    ("dossier_pdf", "GET /dossiers/{dossier_id}/pdf", "/api/dossiers/{dossier_id}/pdf", STAFF_ONLY,
     "The signed dossier as PDF.", {"produces": "application/pdf"}),
    ("dossier_json", "GET /dossiers/{dossier_id}/json", "/api/dossiers/{dossier_id}/json", STAFF_ONLY,
     "The signed dossier document (JSON; its schema is docs/dossier-schema.json).",
     {"produces": "application/json"}),
    ("list_institutions", "GET /institutions", "/api/institutions", EVERYONE_NATIONAL,
     "The national institutions directory.", {"out": f.InstitutionOut(many=True)}),
    ("create_institution", "POST /institutions", "/api/institutions", OPERATORS,
     "Add an institution to the national directory (platform operators).",
     {"body": f.InstitutionIn, "out": f.InstitutionOut, "status": 201}),
    ("get_institution", "GET /institutions/{code}", "/api/institutions/{code}", EVERYONE_NATIONAL,
     "One institution.", {"out": f.InstitutionOut}),
    ("update_institution", "PATCH /institutions/{code}", "/api/institutions/{code}", OPERATORS,
     "Edit an institution: channel, webhook, accounts, deadlines (platform operators).",
     {"body": f.InstitutionPatch(partial=True), "out": f.InstitutionOut}),
    ("issue_institution_api_key", "POST /institutions/{code}/api-key", "/api/institutions/{code}/api-key",
     OPERATORS, "Issue a new API key for the institution's systems (shown once).",
     {"out": f.ApiKeyOut, "status": 201}),
    ("institution_breaker", "GET /institutions/{code}/breaker", "/api/institutions/{code}/breaker",
     BREAKER_READERS, "The delivery circuit breaker of an institution.", {"out": f.BreakerOut}),
    ("portal_dossier", "GET /portal/dossiers/{dossier_id}", "/api/portal/dossiers/{dossier_id}", INSTITUTIONS,
     "The dossier, for the institution it is addressed to.", {"query": f.PortalArgs, "out": f.DossierOut,
                                                                  "extra": PORTAL_KEY}),
    ("portal_dossier_pdf", "GET /portal/dossiers/{dossier_id}/pdf", "/api/portal/dossiers/{dossier_id}/pdf",
     INSTITUTIONS, "The dossier as PDF, for its institution.", {"query": f.PortalArgs, "extra": PORTAL_KEY,
                                                                  "produces": "application/pdf"}),
    ("portal_acknowledge", "POST /portal/dossiers/{dossier_id}/acknowledge",
     "/api/portal/dossiers/{dossier_id}/acknowledge", INSTITUTIONS, "The institution acknowledges receipt.",
     {"query": f.PortalArgs, "out": f.DossierOut, "extra": PORTAL_KEY}),
    ("portal_reply", "POST /portal/dossiers/{dossier_id}/reply", "/api/portal/dossiers/{dossier_id}/reply",
     INSTITUTIONS, "The institution replies (published to the residents).",
     {"query": f.PortalArgs, "body": f.ReplyIn, "out": f.DossierOut, "status": 201, "extra": PORTAL_KEY}),
    ("tracker", "GET /tracker", "/api/tracker", EVERYONE_NATIONAL, "Every forwarded conclusion of a municipality.",
     {"query": f.TrackerArgs, "out": f.TrackerOut}),
    ("forwarding_policy", "GET /forwarding/policy", "/api/policy", STAFF_ONLY,
     "Whether conclusions wait for staff review.", {"out": f.PolicyOut}),
    ("set_forwarding_policy", "PUT /forwarding/policy", "/api/policy", STAFF_ONLY, "Set the review policy.",
     {"body": f.PolicyIn, "out": f.PolicyOut}),
    ("advance_clock", "POST /forwarding/clock", "/api/clock", STAFF_ONLY,
     "Test deployments only (CIVIC_TEST_CLOCK=1): advance the deadline clock.",
     {"body": f.ClockIn, "out": f.ClockOut}),
])

NOTIFICATIONS = _ops("notifications", "notifications", [
    ("inbox", "GET /inbox", "/api/inbox", INBOX_OWNERS, "The signed-in person's inbox.",
     {"query": n.InboxArgs, "out": n.InboxOut, "personal": True}),
    ("follow_proposal", "PUT /proposals/{proposal_id}/follow", "/api/follows/{proposal_id}", MEMBERS,
     "Hear about the proposal: its vote, forwarding and the institution's reply.",
     {"out": n.FollowOut, "fixed_body": {"reason": "followed"}, "within": "get_proposal"}),
    ("unfollow_proposal", "DELETE /proposals/{proposal_id}/follow", "/api/follows/{proposal_id}", MEMBERS,
     "Stop following.", {"out": n.FollowOut, "within": "get_proposal"}),
])

# The gateway's own: fans out to every service's status (services.status), in gateway.api.operations.
OPERATIONS = [
    Op("operations_status", "GET", "/operations/status", OPERATORS, "operations",
       "Every part's health, consumer lag per topic, outbox backlogs, dead letters, failing dispatches "
       "and open breakers (platform operators).", out=PlatformStatusOut, timeout=60),
]

RELAYED = PROPOSALS + VOTING + FORWARDING + NOTIFICATIONS
ALL_OPERATIONS = ACCOUNTS + MUNICIPALITIES + OPERATIONS + RELAYED
BY_NAME = {op.name: op for op in ALL_OPERATIONS}
# Outside /api/v1 and the OpenAPI document, but in the authorisation table all the same.
CIVIC_KEYS = Op("civic_keys", "GET", "/.well-known/civic-keys.json", EVERYONE_NATIONAL, "keys",
                "The municipalities' Ed25519 public keys, to verify dossiers.", "forwarding", "/api/keys")


if __name__ == "__main__":  # python -m gateway.routes > docs/authorisation.md
    from gateway.access import render_markdown

    print(render_markdown([*ALL_OPERATIONS, CIVIC_KEYS]), end="")
