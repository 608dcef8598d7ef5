"""What the catalogues still lack, and adding translations to them, for people and helpers who
translate in a file of their own (no merge conflicts in the .po files):

    python -m services.translations.todo missing [LANG ...] > todo.json   # every untranslated id
    python -m services.translations.todo apply todo.json [...]            # write the translations in

A file is a JSON list of entries {"msgid": ..., "plural": ... (plural ids only), "sl": text or
[one text per plural form], "uk": ...}; `missing` writes them with empty texts to fill in. Ids are
found as `pybabel extract -F babel.cfg` finds them; apply keeps each catalogue's other entries."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LANGUAGES = ("sl", "uk")


def catalogue_path(language: str) -> Path:
    return HERE / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as po:
        return read_po(po, locale=language)


def save(language: str, catalog: Catalog) -> None:
    with catalogue_path(language).open("wb") as po:
        write_po(po, catalog, width=100)


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
    for language in LANGUAGES:
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
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
