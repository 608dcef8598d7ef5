"""The mailers' round: claim the due mails, a batch at a time, and send them over one SMTP connection.

A staff alert or a conclusion is one mail per person; in a burst of hundreds, a mail at a time cost
about five database commands and an SMTP connection each, and mails waited over 20 s (a test
session's measured bursts). A round now claims up to `BATCH` mails in three commands, reads their
contacts and their preferences in one command each, sends them over one connection and marks them
sent in one command. Each mail is claimed by one mailer for 30 s (a crash meanwhile sends it again
after that, under the same Message-ID; so may the rest of its round's mails)."""
from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import timedelta

from pymongo import UpdateOne

from notifications import digest, domain, mailer, preferences, reply_languages
from notifications.store import Contact, Mail
from services import metrics
from services.db import utcnow
from services.settings import get_settings

log = logging.getLogger(__name__)
BATCH = 20  # mails per round at most
LEASE = timedelta(seconds=30)  # a claimed mail is another mailer's again after this
GIVE_UP_AFTER = timedelta(hours=1)  # a mail whose contact never became known
NO_CONTACT_PAUSE_MAX = 10  # seconds between looks for a contact that is not known yet (1, 2, 4, 8, 10, ...)


def send_pending_mails() -> bool:
    """Send the oldest due mails (up to BATCH); True if there were any."""
    now = utcnow()
    mails = _claim(now)
    if not mails:
        return False
    contacts = _contacts(mails)
    modes = preferences.modes_of([m.user_id for m in mails if _personal(m)])
    sent: list[Mail] = []
    with _Connection() as connection:
        for mail in mails:
            if _send(mail, contacts.get(mail.id), modes.get(mail.user_id, {}), connection, now):
                sent.append(mail)
    if sent:
        Mail._get_collection().bulk_write([UpdateOne({"_id": mail.id}, {"$set": {
            "status": "sent", "sent_at": utcnow(),
            # a mail about the account carries a secret (the reset link): not kept once it is delivered
            **({"values": {}} if mail.kind in domain.ACCOUNT_MAILS else {})}}) for mail in sent], ordered=False)
        metrics.MAILS.labels("sent").inc(len(sent))
    return True


def _claim(now) -> list[Mail]:
    """The due mails this mailer may send: picked oldest first, then leased to it alone."""
    coll = Mail._get_collection()
    due = [son["_id"] for son in coll.find({"status": "pending", "next_attempt_at": {"$lte": now}}, {"_id": 1})
           .sort("next_attempt_at", 1).limit(BATCH)]
    if not due:
        return []
    claim = uuid.uuid4().hex
    coll.update_many({"_id": {"$in": due}, "status": "pending", "next_attempt_at": {"$lte": now}},
                     {"$set": {"next_attempt_at": now + LEASE, "claim": claim}, "$inc": {"attempts": 1}})
    return sorted((Mail._from_son(son) for son in coll.find({"_id": {"$in": due}, "claim": claim})), key=lambda m: m.created_at)


def _personal(mail: Mail) -> bool:
    """To an account, of its news (not about the account itself, not to an address)."""
    return not mail.email and not mail.user_id.startswith("mailto:")


def _contacts(mails: list[Mail]) -> dict[str, Contact]:
    """Each mail's recipient, by mail id."""
    accounts = {c.id: c for c in Contact.objects(id__in=list({m.user_id for m in mails if _personal(m)}))}
    found = {}
    for mail in mails:
        if mail.email:  # about the account itself: the event's address and language
            found[mail.id] = Contact(id=mail.user_id, email=mail.email, language=mail.language or "sl")
        elif mail.user_id.startswith("mailto:"):
            found[mail.id] = Contact(id=mail.user_id, email=mail.user_id[len("mailto:"):], language="sl")
        elif mail.user_id in accounts:
            found[mail.id] = accounts[mail.user_id]
    return found


def no_contact_pause(attempts: int) -> timedelta:
    """How long a mail whose recipient's contact is not known yet waits before its next look:
    1 s after its first claim, doubling, never more than NO_CONTACT_PAUSE_MAX."""
    return timedelta(seconds=min(NO_CONTACT_PAUSE_MAX, 2 ** max(0, attempts - 1)))


def _send(mail: Mail, contact: Contact | None, modes: dict, connection: "_Connection", now) -> bool:
    """Send one claimed mail; True if it went out (the caller marks it sent)."""
    if contact is None:
        if now - mail.created_at > GIVE_UP_AFTER:
            Mail.objects(id=mail.id).update_one(set__status="failed", set__last_error="no contact address")
            metrics.MAILS.labels("failed").inc()
        else:  # the account's contact is on its way (its event not read yet): look again soon, then less often
            Mail.objects(id=mail.id).update_one(set__next_attempt_at=now + no_contact_pause(mail.attempts))
        return False
    mode = modes.get(mail.kind, domain.DEFAULT_MODE) if _personal(mail) and domain.chosen(mail.kind) \
        else domain.DEFAULT_MODE
    if mode != domain.DEFAULT_MODE:  # the person chose the daily digest, or no e-mail, for this kind
        digest.hold(mail, mode)
        return False
    if reply_languages.hold(mail, contact.language, now):  # its translation is on its way
        return False
    reply_languages.localise(mail, contact.language)
    subject, body, headers = mailer.compose(mail, contact.language)
    try:
        connection.send(mail.id, contact.email, subject, body, headers)
    except OSError as exc:
        log.warning("mail %s to %s failed: %s", mail.id, contact.email, exc)
        Mail.objects(id=mail.id).update_one(set__last_error=str(exc)[:300],
                                            set__next_attempt_at=now + timedelta(seconds=min(300, 2 ** mail.attempts)))
        metrics.MAILS.labels("retry").inc()
        return False
    return True


class _Connection:
    """One SMTP connection for a round, opened at the first mail; after a failure, the next mail
    opens a new one."""

    def __init__(self):
        self.smtp: smtplib.SMTP | None = None

    def send(self, mail_id: str, to: str, subject: str, body: str, headers: dict) -> None:
        if self.smtp is None:
            settings = get_settings()
            self.smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10)
        try:
            self.smtp.send_message(mailer.message(mail_id, to, subject, body, headers))
        except OSError:  # smtplib's errors are OSErrors too
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except OSError:
                self.smtp.close()
            self.smtp = None

    def __enter__(self) -> "_Connection":
        return self

    def __exit__(self, *_) -> None:
        self.close()
