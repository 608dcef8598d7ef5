"""Which text of an institution's reply a visitor reads: the translation into the visitor's language
when there is one (human or machine, said as such), else the original; the original stays one click
away (a <details> under the translation). Used by the proposal page (_reply_text.html)."""
from __future__ import annotations

from gateway.pages.session import current_language, home_municipality
from services.i18n import DEFAULT_LANGUAGE


def municipality_languages(code: str | None = None) -> tuple[str, list[str]]:
    """(the municipality's own language, which replies are written in; its other languages)."""
    from gateway.municipalities import all_municipalities

    found = all_municipalities().get(code or home_municipality())
    original = (found.default_language if found else None) or DEFAULT_LANGUAGE
    languages = list(found.languages) if found else [original]
    return original, [language for language in languages if language != original]


def reply_shown(reply: dict | None, language: str | None = None) -> dict:
    """What the page shows of `reply` to a reader of `language` (the visitor's by default)."""
    reply = reply or {}
    original_language, _others = municipality_languages()
    reader = language or current_language()
    original = {"lang": original_language, "summary": reply.get("summary"), "text": reply.get("text") or ""}
    translation = (reply.get("translations") or {}).get(reader) if reader != original_language else None
    if not translation or not translation.get("text"):
        return {**original, "translated": False, "original": None}
    return {"lang": reader, "summary": translation.get("summary"), "text": translation["text"],
            "kind": translation.get("kind") or "machine", "translated": True, "original": original}
