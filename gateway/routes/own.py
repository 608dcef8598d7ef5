"""The gateway's own operations (written by hand in gateway.api): accounts, municipalities, operations."""
from __future__ import annotations

from gateway import schemas as g
from gateway.access import ACCOUNT_HOLDERS, EVERYONE_NATIONAL, OPERATORS, OWN, SELF_RESIDENT, Access
from gateway.routes.op import Op
from services.status import PlatformStatusOut

ACCOUNTS = [
    Op("register", "POST", "/auth/register", EVERYONE_NATIONAL, "accounts", "Open a resident's account.",
       body=g.RegisterIn, out=g.AccountOut, status=201),
    Op("login", "POST", "/auth/login", EVERYONE_NATIONAL, "accounts", "Sign in: a bearer token for the API.",
       body=g.LoginIn, out=g.TokenOut),
    # A forgotten password (gateway.resets): a link by e-mail, then the new password with its token.
    Op("request_password_reset", "POST", "/auth/password-reset", EVERYONE_NATIONAL, "accounts",
       "Ask for a link to choose a new password, sent to the account's e-mail address (the answer is the "
       "same whether or not an account has it; a few requests an hour per address).",
       body=g.ResetRequestIn, out=g.ResetRequestedOut, status=202),
    Op("reset_password", "POST", "/auth/password-reset/new-password", EVERYONE_NATIONAL, "accounts",
       "Choose a new password with the token of the link (it expires after an hour and works once).",
       body=g.ResetIn, out=g.PasswordChangedOut),
    # One's own account (gateway.profile, hand-written in gateway.api.me); personal: no municipality.
    Op("get_account", "GET", "/me", ACCOUNT_HOLDERS, "accounts",
       "One's own account: e-mail, role, municipality, display name and language.", out=g.AccountOut,
       personal=True),
    Op("update_account", "PATCH", "/me", ACCOUNT_HOLDERS, "accounts",
       "Change one's display name or language (of the pages and of the e-mails).",
       body=g.AccountPatch, out=g.AccountOut, personal=True),
    Op("change_password", "POST", "/me/password", ACCOUNT_HOLDERS, "accounts",
       "Change one's password: the current one, and a new one by the rules of registration.",
       body=g.PasswordChangeIn, out=g.PasswordChangedOut, personal=True),
    # gateway.export fans out to the services' own rows; gateway.erasure announces accounts.account_deleted.
    Op("export_my_data", "GET", "/me/data", ACCOUNT_HOLDERS, "accounts",
       "Download one's data as one JSON document: the account, one's proposals, comments, follows, inbox, "
       "e-mail settings and eligibility; never how one voted.", produces="application/json", personal=True,
       timeout=60),
    Op("delete_account", "POST", "/me/deletion", SELF_RESIDENT, "accounts",
       "Close one's account, confirmed by its password: the services forget the person; proposals and "
       "comments stay without a name, ballots stay counted and anonymous.",
       body=g.DeletionIn, out=g.DeletionOut, personal=True),
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

# Staff's defences against bursts (gateway.blocks, hand-written in gateway.api.abuse): staff of the
# municipality, or operators in the one the path names.
DEFENDERS = Access.of(staff=OWN, operator=OWN)
ABUSE = [
    Op("list_abuse_blocks", "GET", "/abuse/blocks", DEFENDERS, "abuse",
       "Blocked client networks and e-mail domains: their registrations and supports are refused.",
       out=g.AbuseBlockOut(many=True)),
    Op("add_abuse_block", "POST", "/abuse/blocks", DEFENDERS, "abuse",
       "Block a client address or network (CIDR) or an e-mail domain, for registrations and supports.",
       body=g.AbuseBlockIn, out=g.AbuseBlockOut, status=201),
    Op("remove_abuse_block", "DELETE", "/abuse/blocks/{block_id}", DEFENDERS, "abuse", "Lift a block.",
       out=g.AbuseBlockOut),
    Op("abuse_bursts", "GET", "/abuse/bursts", DEFENDERS, "abuse",
       "Recent registrations or supports grouped by client network (/24, /48) or e-mail domain, the largest "
       "first.", query=g.BurstArgs, out=g.BurstOut(many=True)),
    Op("invalidate_burst", "POST", "/abuse/invalidations", DEFENDERS, "abuse",
       "Preview (confirm false) or undo one group of recent registrations (accounts closed, their supports "
       "withdrawn) or supports (withdrawn, so the counts drop); recorded in the audit log.",
       body=g.InvalidationIn, out=g.InvalidationOut, timeout=120),
    Op("abuse_actions", "GET", "/abuse/actions", DEFENDERS, "abuse",
       "The audit log of these defences: blocks added and lifted, bursts undone.", out=g.AbuseActionOut(many=True)),
]

# The gateway's own: fans out to every service's status (services.status), in gateway.api.operations.
OPERATIONS = [
    Op("operations_status", "GET", "/operations/status", OPERATORS, "operations",
       "Every part's health, consumer lag per topic, outbox backlogs, dead letters, failing dispatches "
       "and open breakers (platform operators).", out=PlatformStatusOut, timeout=60),
]
