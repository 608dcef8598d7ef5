"""Events the notifications service consumes, and its mail sender job."""
from notifications import digest, erasure, handlers, proposal_events, reply_languages, sending, voting_events, webhooks
from services.pacing import Pace
from services.settings import get_settings

HANDLERS = {
    "accounts.account_registered": handlers.on_account_registered,
    "accounts.account_updated": handlers.on_account_updated,
    "accounts.password_reset_requested": handlers.on_password_reset_requested,
    "accounts.sign_in_failures_burst": handlers.on_password_reset_requested,  # the same kind of account mail
    "proposals.proposal_submitted": handlers.on_proposal_submitted,
    "proposals.proposal_published": handlers.notify_author,
    "proposals.proposal_rejected": handlers.notify_author,
    "forwarding.dossier_acknowledged": handlers.notify_author,
    "forwarding.institution_replied": handlers.notify_author_of_reply,
    "forwarding.reply_translated": reply_languages.on_reply_translated,  # replies mailed in the reader's language
    "forwarding.dispatch_abandoned": handlers.notify_staff,
    "forwarding.circuit_opened": handlers.notify_staff,
    "forwarding.routing_needed": handlers.notify_staff,  # an adopted conclusion no institution covers
    "forwarding.reply_overdue": handlers.notify_staff,
    "voting.verification_abuse_suspected": handlers.notify_staff,  # a register reference is being guessed
    "forwarding.reply_reminder_sent": handlers.notify_addresses,
    "forwarding.reply_escalated": handlers.notify_addresses,
    **proposal_events.HANDLERS,  # moderation news for authors and staff
    **voting_events.HANDLERS,  # conclusions for authors and followers; voters subscribed at the close
    **erasure.HANDLERS,  # a closed account: forget the person
}
HANDLERS = webhooks.also_delivered(HANDLERS)  # public events also go to third parties' webhooks
TOPICS = [get_settings().topic(name) for name in ("accounts", "proposals", "voting", "forwarding")]
# The mailers look every 0.2 s while there is mail, slowing to once a second when there is none.
# Each round sends a batch (notifications.sending); several mailers overlap their SMTP and database
# waits in a burst (a staff alert is one mail per staff member, a conclusion one per follower).
MAILERS = 4
JOBS = {**{f"mailer-{n}": (sending.send_pending_mails, Pace(0.2, 1.0)) for n in range(1, MAILERS + 1)},
        "digests": (digest.send_due_digests, 5.0),
        # several webhook senders, so one slow or unreachable subscriber holds up one thread, not all
        **{f"webhooks-{n}": (webhooks.deliver_due, Pace(0.2, 1.0)) for n in range(1, webhooks.SENDERS + 1)}}
