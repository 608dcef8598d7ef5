"""Text written by people using the platform reads right in a page of the other direction (an Arabic
title on a Slovene page, a Slovene name on an Arabic one): the element that holds it carries dir="auto",
and lang when the page knows the text's language; the fields people type it in carry dir="auto" too.

Read from the templates' source (gateway/templates): no page is rendered. For each (template, Jinja
expression) below, every place the expression is printed in the page (not in an attribute, nor in the
<title>) must be the content of an element with dir="auto" (the element itself or, for a link that holds
only the text, the element around it), or be isolated with `u.isolated(...)` (_user_text.html) inside a
translated sentence."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "gateway" / "templates"

# (template, the expression of a person's text, the expression of its language or None when unknown)
USER_TEXT = [
    # a proposal on its page: title, summary and body (the original or a translation), where it came from
    ("proposal.html", "text.title", "text.lang"),
    ("proposal.html", "text.summary", "text.lang"),
    ("proposal.html", "shown_text.body", "text.lang"),
    ("proposal.html", "proposal.body_html", "proposal.language"),
    ("proposal.html", "proposal.body", "proposal.language"),
    ("proposal.html", "proposal.workshop.notes", None),
    ("proposal.html", "proposal.workshop.facilitator", None),
    ("proposal.html", "proposal.rejection_reason", None),  # the moderator's words, not the author's language
    ("proposal.html", "other.title", None),  # similar proposals: the service says not their language
    ("proposal_versions.html", "v.title", "proposal.language"),
    ("proposal_versions.html", "v.body", "proposal.language"),
    # proposals in the list
    ("index.html", "p.title", "p.language"),
    ("index.html", "p.summary", "p.language"),
    ("index.html", "process_titles[p.process_id]", None),
    ("index.html", "theme_label(p.theme)", None),
    # the discussion: comments have no language field
    ("_discussion_thread.html", "c.paragraphs", None),
    ("_discussion_thread.html", "c.hidden_reason", None),
    ("_discussion.html", "c.body", None),
    # the institutions' replies, their summaries and translations
    ("_reply_text.html", "part.summary", "part.lang"),
    ("_reply_text.html", "part.text", "part.lang"),
    ("_forwarding.html", "d.reply.forwarded_to", None),
    ("portal_dossier.html", "d.reply.summary", None),
    ("portal_dossier.html", "d.reply.text", None),
    ("portal_dossier.html", "doc.proposal.title", "doc.proposal.language"),
    ("portal_dossier.html", "doc.proposal.summary", "doc.proposal.language"),
    ("portal_dossier.html", "arg", None),
    ("staff_forwarding_dossier.html", "d.reply.text", None),
    ("staff_forwarding_translations.html", "d.reply.summary", "original"),
    ("staff_forwarding_translations.html", "d.reply.text", "original"),
    ("staff_forwarding_confirm.html", "form.text", None),
    # processes: title and description in the language they were found in
    ("process.html", "process.title_text", "process.title_lang"),
    ("process.html", "process.description_text", "process.description_lang"),
    ("processes.html", "p.title_text", "p.title_lang"),
    ("processes.html", "first", "p.description_lang"),
    ("staff_processes.html", "p.title_text", "p.title_lang"),
    ("staff_processes_process.html", "process.title_text", "process.title_lang"),
    ("staff_processes_rules.html", "process_title", "process_title_lang"),
    # the moderation desk and the community's reports: what staff and residents typed
    ("staff_moderation.html", "p.title", "p.language"),
    ("staff_moderation_item.html", "proposal.title", "proposal.language"),
    ("staff_moderation_item.html", "proposal.summary", "proposal.language"),
    ("staff_moderation_item.html", "proposal.body_html", "proposal.language"),
    ("staff_moderation_item.html", "r.reason", None),
    ("staff_moderation_item.html", "entry.reason", None),
    ("staff_community_comments.html", "c.body", None),
    ("staff_community_comments.html", "r.reason", None),
    ("staff_community_blocks.html", "b.reason", None),
    ("staff_community_audit.html", "e.reason", None),
    # votes and their options, the tracker
    ("approval_vote.html", "vote.title", None),
    ("approval_vote.html", "m.label", None),
    ("staff_votes_vote.html", "title", "proposal.language"),
    ("_tracker.html", "c.title", None),
    # names of people and bodies typed in
    ("_forwarding.html", "localised(institutions.get(d.institution_id), d.institution_id)", None),
    ("staff_forwarding_dossier.html", "institution_title", None),
    ("eligibility.html", "municipality_name", None),
]

# (template, the first argument of an input(...) or textarea(...) call of _forms.html: a free-text field)
FREE_TEXT_FIELDS = [
    ("new.html", '"title"'), ("new.html", '"summary"'), ("new.html", '"body"'),
    ("proposal.html", '"reason"'), ("proposal.html", '"justification"'),
    ("_portal_reply_form.html", '"forwarded_to"'), ("_portal_reply_form.html", '"text"'),
    ("_portal_reply_form.html", '"summary"'),
    ("staff_forwarding_reply.html", '"text"'), ("staff_forwarding_translations.html", '"text-" ~ row.code'),
    ("staff_community_comments.html", '"reason"'), ("staff_moderation_item.html", '"reason"'),
    ("staff_processes_macros.html", '"title-" ~ code'), ("staff_processes_macros.html", '"description-" ~ code'),
    ("staff_processes_workshop.html", '"notes"'), ("staff_processes_workshop.html", '"title"'),
    ("staff_processes_workshop.html", '"facilitator"'), ("staff_votes_approval_new.html", '"title"'),
    ("me_account.html", '"display_name"'),
]
# (template, the field's first argument, the expression of the language it is typed in)
FIELD_LANGUAGES = [("staff_forwarding_translations.html", '"text-" ~ row.code', "row.code"),
                   ("staff_processes_macros.html", '"title-" ~ code', "code")]

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TITLE_BLOCK = re.compile(r"\{%-?\s*block title\s*-?%\}.*?\{%-?\s*endblock\s*-?%\}", re.S)


def source(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def masked(text: str) -> str:
    """The template with its Jinja tags blanked out (same length), so that HTML tags can be read around them."""
    return JINJA.sub(lambda m: re.sub(r"\S", " ", m.group(0)), text)


def printed(text: str, expression: str) -> list[re.Match]:
    """Where `expression` is printed: the {{ }} and {% for %} tags that use it (as a whole name)."""
    name = rf"(?<![\w.]){re.escape(expression)}(?![\w(])"
    found = []
    for tag in JINJA.finditer(text):
        inner = tag.group(0)
        if inner.startswith("{{") and re.search(name, inner):
            found.append(tag)
        elif re.match(r"\{%-?\s*for\s", inner) and re.search(rf"\bin\s+\(?{name}", inner):
            found.append(tag)
    return found


def enclosing(text: str, at: int) -> list[str] | None:
    """The opening tags of the elements around position `at`, innermost first; None when `at` is inside a tag
    (an attribute's value, which cannot carry a direction)."""
    plain, stack = masked(text), []
    for tag in TAG.finditer(plain):
        if tag.start() <= at < tag.end():
            return None
        if tag.start() >= at:
            break
        closing, name = tag.group(1), tag.group(2).lower()
        if closing:
            names = [n for n, _ in stack]
            if name in names:
                del stack[len(names) - 1 - names[::-1].index(name):]
        elif name not in VOID and not tag.group(3).rstrip().endswith("/"):
            stack.append((name, text[tag.start():tag.end()]))
    return [opening for _, opening in reversed(stack)]


def attribute(opening: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', opening)
    return found.group(1) if found else None


def problems(name: str, expression: str, lang: str | None) -> list[str]:
    text = source(name)
    titles = [(m.start(), m.end()) for m in TITLE_BLOCK.finditer(text)]
    shown = [m for m in printed(text, expression) if not any(a <= m.start() < b for a, b in titles)]
    if not shown:
        return [f"{name}: {expression} is not printed at all (has the template changed?)"]
    wrong = []
    for use in shown:
        line = text.count("\n", 0, use.start()) + 1
        where = f"{name}:{line} {use.group(0)}"
        if re.search(rf"u\.isolated\(\s*\(?{re.escape(expression)}(?![\w(])", use.group(0)):
            if lang and not re.search(rf",\s*{re.escape(lang)}\s*\)", use.group(0)):
                wrong.append(f"{where}: isolated without its language {lang}")
            continue
        around = enclosing(text, use.start())
        if around is None:
            continue  # in an attribute
        if not around:
            wrong.append(f"{where}: not inside any element")
            continue
        candidates = around[:2]  # the element of the text, or the one around a link that holds only the text
        directions = [attribute(opening, "dir") for opening in candidates]
        first = next((d for d in directions if d is not None), None)
        if first != "auto":
            wrong.append(f"{where}: the element around it has no dir=\"auto\": {candidates[0]}")
        languages = [attribute(opening, "lang") for opening in candidates]
        named = next((value for value in languages if value is not None), None)
        if lang is not None and not (named and re.fullmatch(rf"\{{\{{\s*{re.escape(lang)}\s*\}}\}}", named)):
            wrong.append(f"{where}: the element around it does not say its language lang=\"{{{{ {lang} }}}}\"")
        if lang is None and named:
            wrong.append(f"{where}: its language is unknown, yet the element around it says lang=\"{named}\"")
    return wrong


@pytest.mark.parametrize(("name", "expression", "lang"), USER_TEXT, ids=[f"{n}:{e}" for n, e, _ in USER_TEXT])
def test_a_persons_text_is_in_an_element_of_its_own_direction(name, expression, lang):
    assert problems(name, expression, lang) == []


def test_the_isolating_macro_gives_the_text_its_own_direction_and_language():
    text = source("_user_text.html")
    macro = re.search(r"\{%-?\s*macro isolated\(text, lang=None\)\s*-?%\}(.*?)\{%-?\s*endmacro", text, re.S)
    assert macro, "_user_text.html defines isolated(text, lang=None)"
    assert re.search(r'<span dir="auto"\{% if lang %\} lang="\{\{ lang \}\}"\{% endif %\}>\{\{ text \}\}</span>',
                     macro.group(1))


def call(text: str, start: int) -> str:
    """The source of a macro call from its name at `start` to its closing parenthesis."""
    depth, quote, at = 0, None, text.index("(", start)
    for at in range(at, len(text)):
        char = text[at]
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[start:at + 1]
    raise AssertionError(f"unclosed call at {start}")


def field_calls(name: str, field: str) -> list[str]:
    text = source(name)
    starts = [m.start() for m in re.finditer(rf"(?<![\w.])(?:f\.)?(input|textarea)\(\s*{re.escape(field)}\s*,", text)]
    return [call(text, start) for start in starts]


@pytest.mark.parametrize(("name", "field"), FREE_TEXT_FIELDS, ids=[f"{n}:{f}" for n, f in FREE_TEXT_FIELDS])
def test_people_type_free_text_in_fields_of_its_own_direction(name, field):
    calls = field_calls(name, field)
    assert calls, f"{name} has no input or textarea {field}"
    for found in calls:
        direction = re.search(r'\bdir=("[^"]*"|None|none|false)', found)
        if re.sub(r"^f\.", "", found).startswith("textarea"):
            assert direction is None or direction.group(1) == '"auto"', found  # the macro's default is auto
        else:
            assert direction and direction.group(1) == '"auto"', f"{name}: {found} has no dir=\"auto\""


@pytest.mark.parametrize(("name", "field", "lang"), FIELD_LANGUAGES)
def test_a_field_for_one_language_says_its_language(name, field, lang):
    for found in field_calls(name, field):
        assert re.search(rf"\blang={re.escape(lang)}\s*[,)]", found), found


def test_the_form_macros_put_the_direction_on_their_fields():
    text = source("_forms.html")
    textarea = re.search(r"\{% macro textarea\((.*?)\) -%\}(.*?)\{%- endmacro %\}", text, re.S)
    field = re.search(r"\{% macro input\((.*?)\) -%\}(.*?)\{%- endmacro %\}", text, re.S)
    assert textarea and field
    assert 'dir="auto"' in textarea.group(1)  # what people write in a textarea is theirs, always
    assert re.search(r"\bdir=None", field.group(1))  # an input says it when it is free text (not an e-mail)
    for _args, body in (textarea.groups(), field.groups()):
        assert re.search(r'\{%-? if dir %\} dir="\{\{ dir \}\}"\{% endif %\}', body)
        assert re.search(r'\{%-? if lang %\} lang="\{\{ lang \}\}"\{% endif %\}', body)
    forms = source("_discussion_forms.html")  # the discussion's own textarea (comments, reports, reasons)
    assert re.search(r'<textarea [^>]*\bdir="auto"', forms)
