"""Translations of an institution's reply into the municipality's languages.

Staff add or correct a language's translation (`translate_reply`: marked "human", with who and when;
who is never published). When machine translation is on (forwarding.translation_provider), the
worker's `machine_translate_due` job asks the provider for every language still missing once a
reply arrives, stores each as "machine", and tries again later (with backoff) when the provider
fails; a human translation is never replaced by a machine one. Each change is announced as
`forwarding.reply_translated`, so notifications can mail followers in their language."""
from __future__ import annotations

import logging
from datetime import timedelta

from forwarding import domain
from forwarding.dossiers import dossier_event
from forwarding.keys import on_municipality_created as make_signing_key
from forwarding.store import Dossier, MunicipalityLanguages
from forwarding.translation_provider import TranslationFailed, configured
from services.auth import Caller
from services.claims import update_returning
from services.db import Unit, atomically, utcnow
from services.errors import Conflict, DomainError, Forbidden, NotFound
from services.events import Actor
from services.i18n import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)
MACHINE_ATTEMPTS = 5  # rounds before the machine gives up on a reply (staff can still translate)
LEASE = timedelta(seconds=60)  # a round that crashed is taken up again after this


def on_municipality_saved(event: dict) -> None:
    """Keep the municipality's languages (what its replies are translated into)."""
    p = event["payload"]
    atomically(lambda unit: unit.change(MunicipalityLanguages, {"_id": p["code"]}, {"$set": {
        "languages": p["languages"], "default_language": p["default_language"]}}, upsert=True),
        consumer="forwarding.languages", cause=event)


def on_municipality_created(event: dict) -> None:
    """A new municipality: its signing key, and its languages."""
    make_signing_key(event)
    on_municipality_saved(event)


def languages_of(municipality: str) -> tuple[str, list[str]]:
    """(the original's language, the other languages a reply is translated into)."""
    known = MunicipalityLanguages.objects(id=municipality).first()
    original = known.default_language if known else DEFAULT_LANGUAGE
    languages = list(known.languages) if known else list(LANGUAGES)
    return original, [code for code in languages if code != original]


def _staff_dossier(caller: Caller, dossier_id: str) -> Dossier:
    if caller.role != "staff":
        raise Forbidden("Only the municipality's staff translate replies.")
    dossier = Dossier.objects(id=dossier_id, municipality=caller.municipality).first()
    if dossier is None:
        raise NotFound("No such dossier.")
    if dossier.status != domain.REPLIED or not dossier.reply:
        raise Conflict("The dossier has no reply to translate yet.", code="wrong_state")
    return dossier


def translate_reply(caller: Caller, dossier_id: str, language: str, data: dict) -> dict:
    """Staff add or replace the reply's translation into `language` (a human translation)."""
    dossier = _staff_dossier(caller, dossier_id)
    original, targets = languages_of(dossier.municipality)
    if language not in targets:
        why = "It is the reply's own language." if language == original else \
            "Not one of the municipality's languages."
        raise DomainError("The reply cannot be translated into this language.",
                          errors={"path": {"language": [why]}})
    entry = {"summary": (data.get("summary") or "").strip() or None, "text": data["text"].strip(),
             "kind": "human", "by": caller.id, "at": utcnow().isoformat()}
    if not entry["text"]:
        raise DomainError("The translation is empty.", errors={"json": {"text": ["Write the translation."]}})

    def work(unit: Unit) -> None:
        unit.change(Dossier, {"_id": dossier.id}, {"$set": {f"reply.translations.{language}": entry}})
        unit.emit(dossier_event(dossier, "forwarding.reply_translated", Actor("staff", caller.id),
                                translations={language: _public(entry)}))

    atomically(work)
    return {"dossier_id": dossier.id, "language": language, **entry}


def _public(entry: dict) -> dict:
    return {"text": entry["text"], "summary": entry.get("summary"), "kind": entry["kind"]}


def _claim() -> Dossier | None:
    now = utcnow()
    son = update_returning(
        Dossier._get_collection(),
        {"status": domain.REPLIED, "translation_done": {"$ne": True}, "translation_next_at": {"$not": {"$gt": now}}},
        {"$set": {"translation_next_at": now + LEASE}, "$inc": {"translation_attempts": 1}}, sort=[("replied_at", 1)])
    return None if son is None else Dossier._from_son(son)


def machine_translate_due() -> bool:
    """One reply's machine round (worker job); False when there is nothing to do or it is off."""
    provider = configured()
    if provider is None:
        return False
    dossier = _claim()
    if dossier is None:
        return False
    reply = dossier.reply or {}
    original, targets = languages_of(dossier.municipality)
    done, failed = {}, []
    for language in [code for code in targets if code not in (reply.get("translations") or {})]:
        try:
            summary = provider.translate(reply["summary"], original, language) if reply.get("summary") else None
            text = provider.translate(reply["text"], original, language)
        except TranslationFailed as exc:
            log.warning("machine translation of reply %s into %s failed: %s", dossier.id, language, exc)
            failed.append((language, exc))
            continue
        done[language] = {"summary": summary, "text": text, "kind": "machine", "by": None,
                          "provider": provider.name, "at": utcnow().isoformat()}
    attempts = dossier.translation_attempts or 1
    retry = any(exc.transient for _, exc in failed) and attempts < MACHINE_ATTEMPTS

    def work(unit: Unit) -> None:
        stored = {}
        for language, entry in done.items():  # never over a translation staff added meanwhile
            if unit.change(Dossier, {"_id": dossier.id, f"reply.translations.{language}": {"$exists": False}},
                           {"$set": {f"reply.translations.{language}": entry}}):
                stored[language] = _public(entry)
        unit.change(Dossier, {"_id": dossier.id}, {"$set": {
            "translation_done": not retry, "translation_next_at": utcnow() + timedelta(seconds=min(3600, 2 ** attempts)),
            "translation_errors": {language: str(exc)[:300] for language, exc in failed}}})
        if stored or attempts == 1:
            unit.emit(dossier_event(dossier, "forwarding.reply_translated", translations=stored, machine_round=True))

    atomically(work)
    return True
