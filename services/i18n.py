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
# The interface languages: Slovene (the default), English, and the languages residents of Slovenian
# municipalities speak most (Albanian, Bosnian, Croatian, Serbian in Latin script, Macedonian,
# Ukrainian, Arabic, Persian). Each has a catalogue in services/translations/<code>.
LANGUAGES = {"sl": "Slovenščina", "en": "English", "sq": "Shqip", "bs": "Bosanski", "hr": "Hrvatski",
             "sr": "Srpski (latinica)", "mk": "Македонски", "uk": "Українська", "ar": "العربية", "fa": "فارسی"}
DEFAULT_LANGUAGE = "sl"
RIGHT_TO_LEFT = frozenset({"ar", "fa"})
# Where the code alone would pick the wrong script: Serbian is written in Latin script here.
_BABEL_LOCALES = {"sr": "sr_Latn"}
_HTML_TAGS = {"sr": "sr-Latn"}


def babel_locale(language: str) -> str:
    """The Babel locale for dates, numbers and plural rules in `language`."""
    return _BABEL_LOCALES.get(language, language)


def html_lang(language: str) -> str:
    """The BCP 47 tag for a lang attribute (sr -> sr-Latn)."""
    return _HTML_TAGS.get(language, language)


def direction(language: str) -> str:
    """"rtl" for Arabic and Persian, else "ltr"."""
    return "rtl" if language.split("-")[0].split("_")[0] in RIGHT_TO_LEFT else "ltr"


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
