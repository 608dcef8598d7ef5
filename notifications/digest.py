"""The daily digest: the mails of kinds a person chose "daily" for are held, and one mail a period
(CIVIC_DIGEST_HOURS, 24 by default) sends what accumulated since the first of them; a kind chosen
"never" is skipped. The job claims a due digest with a lease, so two workers never send it twice
at once; a crash after sending resends it with the same Message-ID, like every other mail."""
from __future__ import annotations

import logging
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from notifications import mail_texts, mailer, preferences
from notifications.domain import all_messages
from notifications.store import Contact, Digest, Mail
from services import metrics
from services.claims import update_returning
from services.db import utcnow
from services.i18n import gettext
from services.settings import get_settings

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)


def period() -> timedelta:
    return timedelta(hours=get_settings().digest_hours)


def hold(mail: Mail, mode: str) -> None:
    """Keep a mail out of the immediate queue: skipped ("never"), or held for the digest ("daily")."""
    if mode == "never":
        Mail.objects(id=mail.id).update_one(set__status="skipped")
        metrics.MAILS.labels("skipped").inc()
        return
    Mail.objects(id=mail.id).update_one(set__status="held")  # first, so a digest sent meanwhile reschedules
    schedule(mail.user_id)


def schedule(user_id: str) -> None:
    """A digest for the person, due a period from now unless one is already due."""
    try:
        Digest._get_collection().update_one({"_id": user_id}, {"$setOnInsert": {
            "due_at": utcnow() + period(), "lease_until": None}}, upsert=True)
    except DuplicateKeyError:
        pass  # scheduled meanwhile by another worker


def _claim():
    now = utcnow()
    return update_returning(Digest._get_collection(), {"due_at": {"$lte": now}, "lease_until": {"$not": {"$gt": now}}},
                            {"$set": {"lease_until": now + LEASE}}, sort=[("due_at", 1)])


def send_due_digests() -> bool:
    """Job: send one due digest; True if there was one."""
    son = _claim()
    if son is None:
        return False
    user_id, now = son["_id"], utcnow()
    held = list(Mail.objects(user_id=user_id, status="held").order_by("created_at"))
    contact = Contact.objects(id=user_id).first()
    if contact is None:  # the account is gone: nobody to tell
        Mail.objects(id__in=[m.id for m in held]).update(set__status="failed", set__last_error="no contact address")
    else:
        off = [m for m in held if preferences.mode_of(user_id, m.kind) == "never"]
        Mail.objects(id__in=[m.id for m in off]).update(set__status="skipped")
        held = [m for m in held if m not in off]
        if held:
            try:
                mailer.send(f"digest:{user_id}:{int(son['due_at'].timestamp())}", contact.email,
                            gettext(contact.language, mail_texts.DIGEST_SUBJECT), body(held, contact.language))
            except OSError as exc:
                log.warning("digest for %s failed: %s", user_id, exc)
                Digest.objects(id=user_id).update_one(set__lease_until=now + timedelta(seconds=30))
                metrics.MAILS.labels("retry").inc()
                return True
            Mail.objects(id__in=[m.id for m in held]).update(set__status="digested", set__sent_at=utcnow())
            metrics.MAILS.labels("sent").inc()
    Digest._get_collection().delete_one({"_id": user_id, "due_at": son["due_at"]})
    if Mail.objects(user_id=user_id, status="held").only("id").first():  # held while this one was sent
        schedule(user_id)
    return True


def body(held: list[Mail], language: str) -> str:
    """Each held mail's subject and text, then a link to turn each of their kinds off."""
    parts = [gettext(language, mail_texts.DIGEST_INTRO)]
    for mail in held:
        subject, text = mailer.render(mail.kind, mail.values, language)
        parts.append(f"* {subject}\n{text}")
    kinds = list(dict.fromkeys(mail.kind for mail in held))
    links = [gettext(language, mail_texts.DIGEST_KIND_OFF, subject=gettext(language, all_messages()[kind][0]),
                     link=preferences.unsubscribe_link(held[0].user_id, kind)) for kind in kinds]
    links.append(gettext(language, mail_texts.DIGEST_SETTINGS, preferences=preferences.preferences_link()))
    return "\n\n".join(parts) + "\n\n-- \n" + "\n".join(links)
