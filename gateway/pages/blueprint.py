"""The pages' Blueprint and the settings every page module shares (no other page module imported)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from services.i18n import LANGUAGES, TRANSLATIONS

# gateway/templates: absolute, so it does not depend on this module's place in the package
bp = Blueprint("pages", __name__, template_folder=str(Path(__file__).resolve().parent.parent / "templates"))

TIMEZONE = "Europe/Ljubljana"
DEFAULT_MUNICIPALITY = "idrija"


def page_languages() -> tuple[str, ...]:
    """The interface languages: English (the source) and every language with a catalogue."""
    present = {p.parts[-3] for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    return tuple(code for code in LANGUAGES if code == "en" or code in present)


PAGE_LANGUAGES = page_languages()


def N_(message: str) -> str:
    """Mark a message id for extraction (pybabel's default keywords); it is translated when shown."""
    return message
