"""Every interface language has a complete catalogue: every message the sources mark is translated,
none is fuzzy, placeholders survive, plural forms follow Babel's rule for the language, and the
template (messages.pot) is not stale."""
from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from services.i18n import LANGUAGES, babel_locale, direction, html_lang
from services.translations import todo

PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdifr]")
TRANSLATED = todo.LANGUAGES  # every language but English, the source


@pytest.fixture(scope="module")
def extracted() -> dict[str, str | None]:
    return todo.extracted()


@pytest.fixture(scope="module", params=TRANSLATED)
def catalogue(request) -> tuple[str, Catalog]:
    path = todo.catalogue_path(request.param)
    assert path.exists(), f"{request.param} has no catalogue at {path}"
    with path.open("rb") as po:
        return request.param, read_po(po, locale=babel_locale(request.param))


def test_every_interface_language_but_english_needs_a_catalogue():
    assert set(TRANSLATED) == set(LANGUAGES) - {"en"}
    assert {"sl", "en", "sq", "bs", "hr", "sr", "mk", "uk", "ar", "fa"} <= set(LANGUAGES)


def test_every_message_is_translated_and_none_is_fuzzy(catalogue, extracted):
    language, catalog = catalogue
    lacking = [msgid for msgid in extracted if not catalog.get(msgid) or not _forms(catalog.get(msgid))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not lacking, f"{language}: {len(lacking)} untranslated, e.g. {lacking[:5]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:5]}"


def test_placeholders_survive_translation(catalogue, extracted):
    language, catalog = catalogue
    wrong = []
    for msgid, plural in extracted.items():
        message = catalog.get(msgid)
        if message is None:
            continue
        source = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(plural or ""))
        forms = _forms(message)
        # a plural's form for one may say "one" in words; the other forms keep every placeholder
        if any(not set(PLACEHOLDER.findall(form)) <= source for form in forms) or \
                set(PLACEHOLDER.findall(forms[-1])) != source:
            wrong.append((msgid, forms))
    assert not wrong, f"{language}: {wrong[:5]}"


def test_plural_forms_follow_the_language_s_rule(catalogue, extracted):
    language, catalog = catalogue
    rule = Catalog(locale=babel_locale(language))
    assert catalog.num_plurals == rule.num_plurals, (language, catalog.plural_forms)
    short = [msgid for msgid, plural in extracted.items()
             if plural and catalog.get(msgid) and len(_forms(catalog.get(msgid))) != rule.num_plurals]
    assert not short, f"{language}: wrong number of plural forms in {short[:5]}"


def test_the_template_is_not_stale(extracted):
    with (todo.HERE / "messages.pot").open("rb") as pot:
        template = read_po(pot)
    in_template = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert in_template == set(extracted), ("run: python -m services.translations.todo template",
                                           sorted(set(extracted) ^ in_template)[:10])


def test_script_and_direction_of_each_language():
    assert [code for code in LANGUAGES if direction(code) == "rtl"] == ["ar", "fa"]
    assert html_lang("sr") == "sr-Latn" and babel_locale("sr") == "sr_Latn" and html_lang("sl") == "sl"


def _forms(message) -> list[str]:
    forms = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
    return forms if forms and all(forms) else []
