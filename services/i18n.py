"""The one translation catalogue (services/translations), shared by the gateway's pages
and the notification mails. Catalogues are compiled from .po on first use if needed."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = {"sl": "Slovenščina", "en": "English", "uk": "Українська", "sq": "Shqip", "bs": "Bosanski"}
DEFAULT_LANGUAGE = "sl"


def compile_catalogues() -> None:
    """Write messages.mo next to every messages.po that is newer (idempotent)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parts[-3])
            tmp = mo.with_suffix(f".mo.{os.getpid()}.tmp")  # processes may compile at once
            with tmp.open("wb") as target:
                write_mo(target, catalog)
            tmp.replace(mo)


@lru_cache(maxsize=None)
def translations(language: str) -> NullTranslations:
    compile_catalogues()
    return Translations.load(str(TRANSLATIONS), [language, DEFAULT_LANGUAGE])


def gettext(language: str, message: str, **values) -> str:
    text = translations(language if language in LANGUAGES else DEFAULT_LANGUAGE).gettext(message)
    return text % values if values else text
