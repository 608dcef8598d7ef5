"""Events the notifications service consumes, and its mail sender job."""
from notifications import handlers
from services.settings import get_settings

HANDLERS = {
    "accounts.account_registered": handlers.on_account_registered,
    "proposals.proposal_submitted": handlers.on_proposal_submitted,
    "proposals.proposal_published": handlers.notify_author,
    "proposals.proposal_rejected": handlers.notify_author,
    "voting.conclusion_reached": handlers.notify_author,
    "forwarding.dossier_acknowledged": handlers.notify_author,
}
TOPICS = [get_settings().topic(name) for name in ("accounts", "proposals", "voting", "forwarding")]
JOBS = {"mailer": (handlers.send_pending_mail, 0.2)}
