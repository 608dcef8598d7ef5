"""What the catalogues still lack, and adding translations to them, for people and helpers who
translate in a file of their own (no merge conflicts in the .po files):

    python -m services.translations.todo missing [LANG ...] > todo.json   # every untranslated id
    python -m services.translations.todo apply todo.json [...]            # write the translations in
    python -m services.translations.todo template                         # rewrite messages.pot

A file is a JSON list of entries {"msgid": ..., "plural": ... (plural ids only), "sl": text or
[one text per plural form], "uk": ...}; `missing` writes them with empty texts to fill in. Ids are
found as `pybabel extract -F babel.cfg` finds them; apply keeps each catalogue's other entries."""
from __future__ import annotations

import json
from datetime import UTC, datetime
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from services.i18n import LANGUAGES as INTERFACE_LANGUAGES
from services.i18n import babel_locale

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# The catalogues that need every message translated (English is the source language).
LANGUAGES = tuple(code for code in INTERFACE_LANGUAGES if code != "en")
HEADER = """{name} translations of civic-platform: the gateway's pages
and the notification mails (the one shared catalogue, see services/i18n.py).
Placeholders such as %(title)s must be kept exactly. Glossary: docs/i18n/{code}.md"""


def catalogue_path(language: str) -> Path:
    return HERE / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> Catalog:
    """The language's catalogue (a new, empty one with the language's plural rule if none yet)."""
    path = catalogue_path(language)
    if not path.exists():
        name = Locale.parse(babel_locale(language)).get_display_name("en")
        return Catalog(locale=babel_locale(language), project="civic-platform", version="0.1.0", fuzzy=False,
                       msgid_bugs_address="-", last_translator="civic-platform",
                       language_team=f"{name} <->", revision_date=datetime.now(UTC),
                       header_comment="\n".join(f"# {line}" for line in HEADER.format(
                           name=name, code=language).splitlines()))
    with path.open("rb") as po:
        return read_po(po, locale=babel_locale(language))


def save(language: str, catalog: Catalog) -> None:
    catalogue_path(language).parent.mkdir(parents=True, exist_ok=True)
    with catalogue_path(language).open("wb") as po:
        write_po(po, catalog, width=100)


def template() -> Catalog:
    """messages.pot: every extracted id (what a translator starts from, and what the tests compare)."""
    catalog = Catalog(project="civic-platform", version="0.1.0", creation_date=None)
    for msgid, plural in sorted(extracted().items()):
        catalog.add((msgid, plural) if plural else msgid,
                    flags=["python-format"] if "%(" in msgid or plural else [])
    return catalog


def extracted() -> dict[str, str | None]:
    """Every message id the sources mark, with its plural id (None for a singular one)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str | None] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map):
        if isinstance(message, str):
            found.setdefault(message, None)
        else:
            found[message[0]] = message[1]
    return found


def missing(languages: tuple[str, ...] = LANGUAGES) -> list[dict]:
    catalogs = {language: load(language) for language in languages}
    entries = []
    for msgid, plural in sorted(extracted().items()):
        lacking = [language for language, catalog in catalogs.items()
                   if not (catalog.get(msgid) and catalog.get(msgid).string
                           and all(catalog.get(msgid).string if plural else [True]))]
        if lacking:
            entry: dict = {"msgid": msgid}
            if plural:
                entry["plural"] = plural
            for language in lacking:
                entry[language] = [""] * catalogs[language].num_plurals if plural else ""
            entries.append(entry)
    return entries


def apply(entries: list[dict]) -> dict[str, int]:
    """Add (or replace) the translations of `entries`; how many were written per language."""
    written = {}
    for language in [code for code in LANGUAGES if any(entry.get(code) for entry in entries)]:
        catalog, count = load(language), 0
        for entry in entries:
            text = entry.get(language)
            if not text:
                continue
            if entry.get("plural"):
                if not isinstance(text, list) or len(text) != catalog.num_plurals or not all(text):
                    raise ValueError(f"{language}: {entry['msgid']!r} needs {catalog.num_plurals} plural forms")
                catalog.add((entry["msgid"], entry["plural"]), tuple(text), flags=["python-format"])
            else:
                flags = ["python-format"] if "%(" in entry["msgid"] else []
                catalog.add(entry["msgid"], text, flags=flags)
            count += 1
        save(language, catalog)
        written[language] = count
    return written


def main(argv: list[str]) -> int:
    if argv[:1] == ["missing"]:
        json.dump(missing(tuple(argv[1:]) or LANGUAGES), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if argv[:1] == ["apply"] and argv[1:]:
        for name in argv[1:]:
            print(name, apply(json.loads(Path(name).read_text())))
        return 0
    if argv[:1] == ["template"]:
        with (HERE / "messages.pot").open("wb") as pot:
            write_po(pot, template(), width=100, omit_header=False)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
