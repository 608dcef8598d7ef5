"""Pure rules: who hears about which event, and what the message says (no I/O)."""
from __future__ import annotations

import base64
import hashlib
import hmac

from notifications.forwarding_messages import FORWARDING_MESSAGES

# event type -> (subject, body) message ids; %(title)s etc. come from the event.
MESSAGES = {
    "proposals.proposal_published": (
        "Your proposal was published",
        "Your proposal \"%(title)s\" was published and is open for discussion."),
    "proposals.proposal_rejected": (
        "Your proposal was not published",
        "Your proposal \"%(title)s\" was not published. Reason: %(reason)s"),
    "voting.conclusion_reached": (
        "The vote on your proposal has closed",
        "The vote on \"%(title)s\" has closed: %(outcome)s (yes %(yes)s, no %(no)s, abstain %(abstain)s)."),
    "forwarding.dossier_acknowledged": (
        "Your proposal reached the competent institution",
        "Your proposal \"%(title)s\" was sent to the competent national institution, "
        "which confirmed receipt (%(receipt)s)."),
    "accounts.password_reset_requested": (
        "Choose a new password",
        "Someone, probably you, asked to reset the password of your account on the participation platform. "
        "To choose a new password, open this link within an hour; it works once:\n\n%(link)s\n\n"
        "If you did not ask for it, ignore this e-mail: your password stays as it is."),
    "accounts.sign_in_failures_burst": (
        "Failed sign-ins to your account",
        "Someone tried to sign in to your account on the participation platform with a wrong password "
        "%(failures)s times within %(minutes)s minutes. If it was you, there is nothing to do. If it was not, "
        "you can still sign in as usual, and you may choose a new password on your account page."),
}
# Mails about the account itself: to the address the event names, at once, never held or turned off.
ACCOUNT_MAILS = {"accounts.password_reset_requested", "accounts.sign_in_failures_burst"}
OUTCOME_LABELS = {"adopted": "adopted", "rejected": "rejected", "no_quorum": "no quorum"}


def message_values(event_type: str, payload: dict, title: str) -> dict:
    """The values a message template needs, from the event and the known proposal title."""
    values = {"title": title, **{k: v for k, v in payload.items() if isinstance(v, (str, int))}}
    if event_type == "voting.conclusion_reached":
        values.update(payload["tally"])
        values["outcome"] = OUTCOME_LABELS[payload["outcome"]]
    return values


def mail_id(event_id: str, user_id: str) -> str:
    """One mail per (event, recipient): redelivery of the event cannot mail twice."""
    return f"{event_id}:{user_id}"


def all_messages() -> dict:
    from notifications.abuse_messages import ABUSE_MESSAGES  # issue 8
    from notifications.proposal_messages import PROPOSAL_MESSAGES  # issue 3
    from notifications.voting_messages import VOTING_MESSAGES  # issue 8

    return {**MESSAGES, **FORWARDING_MESSAGES, **PROPOSAL_MESSAGES, **ABUSE_MESSAGES, **VOTING_MESSAGES}


def forwarding_values(payload: dict, title: str) -> dict:
    """Values of a forwarding message: the event's plain fields, the title, the institution's code."""
    values = {"title": title, **{k: v for k, v in payload.items() if isinstance(v, (str, int))}}
    if "institution_id" in payload:
        values["institution"] = payload["institution_id"].upper()
    for key in ("due_at", "open_until"):
        if key in values:
            values[key] = values[key][:16].replace("T", " ")
    return values


# --- preferences: per kind of inbox item, how its e-mail is sent -------------------------------
MODES = ("immediately", "daily", "never")  # the inbox always shows everything; these are about e-mail
DEFAULT_MODE = "immediately"
# The kinds an account's inbox receives, by why the person receives them (institutions' own
# addresses are mailed as "mailto:" recipients: no account, no preferences).
KIND_GROUPS = {
    "author": ("proposals.proposal_published", "proposals.proposal_rejected", "proposals.changes_requested",
               "proposals.proposal_hidden", "voting.conclusion_reached", "forwarding.dossier_acknowledged",
               "forwarding.institution_replied"),
    "follower": ("voting.conclusion_reached.followers", "forwarding.institution_replied.followers"),
    "staff": ("proposals.pending_summary", "forwarding.dispatch_abandoned", "forwarding.circuit_opened",
              "forwarding.routing_needed", "forwarding.reply_overdue", "voting.verification_abuse_suspected"),
}
GROUPS_OF_ROLE = {"resident": ("author", "follower"), "staff": ("author", "follower", "staff")}


def kinds_for(role: str) -> list[tuple[str, str]]:
    """(group, kind) of every kind of notification an account of `role` may receive."""
    return [(group, kind) for group in GROUPS_OF_ROLE.get(role, ()) for kind in KIND_GROUPS[group]]


def chosen(kind: str) -> bool:
    """Whether mails of `kind` follow the person's preferences (account mails and duties do not)."""
    return any(kind in kinds for kinds in KIND_GROUPS.values())


def unsubscribe_token(secret: str, user_id: str, kind: str) -> str:
    """`<user id>.<kind>.<signature>`: a link that turns one kind off for one person, without signing in."""
    return f"{user_id}.{kind}.{_signature(secret, user_id, kind)}"


def read_unsubscribe_token(secret: str, token: str) -> tuple[str, str] | None:
    """(user id, kind) of a genuine token, else None."""
    user_id, _, rest = token.partition(".")
    kind, _, signature = rest.rpartition(".")
    if not (user_id and chosen(kind) and signature):
        return None
    return (user_id, kind) if hmac.compare_digest(signature, _signature(secret, user_id, kind)) else None


def _signature(secret: str, user_id: str, kind: str) -> str:
    digest = hmac.new(secret.encode(), f"unsubscribe:{user_id}:{kind}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()  # 144 bits, 24 characters, no padding
