"""Translations of an institution's reply, for staff: each of the municipality's languages with its
state (missing, machine translation, translated by the municipality) and a form to add or correct it.
A saved translation is a human one: it is published with the reply at once, in place of a machine one."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.conclusion import said
from gateway.pages.labels import autonym, problem_errors, refusal
from gateway.pages.render import render
from gateway.pages.reply_reading import municipality_languages
from gateway.pages.staff import staff_only
from gateway.pages.staff_forwarding_common import directory, institution_name, needed

MAX_TEXT, MAX_SUMMARY = 20_000, 2000


def state_word(entry: dict | None) -> str:
    if not entry:
        return _("Missing")
    return _("Translated by the municipality") if entry.get("kind") == "human" else _("Machine translation")


def _page(dossier_id: str, status: int = 200, typed: dict | None = None, errors: dict | None = None):
    dossier = needed(fetch("get_dossier", dossier_id=dossier_id))
    original, languages = municipality_languages()
    translations = (dossier.get("reply") or {}).get("translations") or {}
    rows = [{"code": code, "name": autonym(code), "entry": translations.get(code), "state": state_word(translations.get(code)),
             "kind": (translations.get(code) or {}).get("kind") or "missing"} for code in languages]
    missing = sum(1 for row in rows if not row["entry"])
    return render("staff_forwarding_translations.html", status, dossier=dossier, rows=rows, missing=missing,
                  original=original, original_name=autonym(original), typed=typed or {}, errors=errors or {},
                  institution_title=institution_name(directory(), dossier["institution_id"]), said=said)


@bp.get("/m/<municipality>/staff/forwarding/dossiers/<dossier_id>/translations")
@staff_only
def staff_forwarding_translations(dossier_id):
    return _page(checked_id(dossier_id))


def _check(language: str, summary: str, text: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not text:
        errors[f"text-{language}"] = [_("Write the translation of the reply.")]
    elif len(text) > MAX_TEXT:
        errors[f"text-{language}"] = [_("Use at most %(max)s characters.", max=MAX_TEXT)]
    if len(summary) > MAX_SUMMARY:
        errors[f"summary-{language}"] = [_("Use at most %(max)s characters.", max=MAX_SUMMARY)]
    return errors


@bp.post("/m/<municipality>/staff/forwarding/dossiers/<dossier_id>/translations/<language>")
@staff_only
def staff_forwarding_translate(dossier_id, language):
    dossier_id = checked_id(dossier_id)
    _original, languages = municipality_languages()
    if language not in languages:
        abort(404)
    summary = (request.form.get(f"summary-{language}") or "").strip()
    text = (request.form.get(f"text-{language}") or "").strip()
    typed = {language: {"summary": summary, "text": text}}
    errors = _check(language, summary, text)
    if not errors:
        answer = fetch("translate_reply", dossier_id=dossier_id, language=language,
                       json={"summary": summary or None, "text": text})
        if answer.status_code == 200:
            flash(_("The translation (%(language)s) is saved and published with the reply.",
                    language=autonym(language)), "success")
            return redirect(url_for("pages.staff_forwarding_translations", dossier_id=dossier_id,
                                    _anchor=f"language-{language}"))
        errors = {f"{key}-{language}": messages for key, messages in problem_errors(answer).items()
                  if key in ("summary", "text")}
        if not errors:
            flash(refusal(answer, on_409=_("This dossier has no reply to translate yet."),
                          on_404=_("This dossier could not be found.")), "error")
            return redirect(url_for("pages.staff_forwarding_dossier", dossier_id=dossier_id))
    return _page(dossier_id, 422, typed=typed, errors=errors)
