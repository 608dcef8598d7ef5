"""Institutions' replies in the reader's language: the mail about a reply (and its inbox item) uses
the reply's translation into the recipient's language when forwarding has one (human or machine,
each marked as such), and its plain-language summary first.

When machine translation is on, a reply mail to a reader of another language than the original's
waits (at most CIVIC_TRANSLATION_MAIL_WAIT_SECONDS) for the machine's first round, so it goes out
translated rather than in a language the reader may not read."""
from __future__ import annotations

from datetime import datetime, timedelta

from notifications.store import ReplyTexts
from services.db import Unit, atomically
from services.i18n import DEFAULT_LANGUAGE, gettext
from services.settings import get_settings

REPLY_KINDS = ("forwarding.institution_replied", "forwarding.institution_replied.followers")


def N_(message: str) -> str:
    """Marks a message id for extraction; translated when the mail is written."""
    return message


NOTES = {"human": N_("Translated by the municipality."),
         "machine": N_("Machine translation. The original reply is on the proposal's page.")}


def on_reply_translated(event: dict) -> None:
    """Keep the reply's translations (the newest per language wins: a human one replaces a machine one)."""
    p = event["payload"]
    change = {f"translations.{language}": entry for language, entry in p["translations"].items()}
    if p.get("machine_round"):
        change["machine_round"] = True
    atomically(lambda unit: _upsert(unit, p["dossier_id"], change), consumer="notifications.reply_texts",
               cause=event)


def _upsert(unit: Unit, dossier_id: str, change: dict) -> None:
    if change:
        unit.change(ReplyTexts, {"_id": dossier_id}, {"$set": change}, upsert=True)


def _machine_on() -> bool:
    settings = get_settings()
    return bool(settings.translation_provider.strip() and settings.translation_provider.lower() != "off"
                and settings.translation_url)


def hold(mail, language: str, now: datetime) -> bool:
    """Postpone a reply mail a moment while its machine translation is on its way; True if postponed."""
    if mail.kind not in REPLY_KINDS or language == DEFAULT_LANGUAGE or not _machine_on():
        return False
    dossier_id = (mail.values or {}).get("dossier_id")
    if not dossier_id or now - _aware(mail.created_at, now) > timedelta(seconds=get_settings().translation_mail_wait_seconds):
        return False
    texts = ReplyTexts.objects(id=dossier_id).first()
    if texts is not None and (texts.machine_round or language in (texts.translations or {})):
        return False
    type(mail).objects(id=mail.id).update_one(set__next_attempt_at=now + timedelta(seconds=1))
    return True


def _aware(moment: datetime, like: datetime) -> datetime:
    return moment.replace(tzinfo=like.tzinfo) if moment.tzinfo is None and like.tzinfo else moment


def localise(item, language: str) -> None:
    """Put the reply's text in `language` (with its summary first, and a note of who translated) into
    a mail's or inbox item's values, in memory only."""
    if item.kind not in REPLY_KINDS or not item.values:
        return
    values = dict(item.values)
    entry = None
    if values.get("dossier_id"):
        texts = ReplyTexts.objects(id=values["dossier_id"]).first()
        entry = (texts.translations or {}).get(language) if texts is not None else None
    if entry:
        text = "\n\n".join(part for part in (entry.get("summary"), entry.get("text")) if part)
        values["text"] = f"{text}\n\n({gettext(language, NOTES[entry.get('kind', 'machine')])})"
    elif values.get("summary"):
        values["text"] = f"{values['summary']}\n\n{values.get('text', '')}"
    item.values = values
