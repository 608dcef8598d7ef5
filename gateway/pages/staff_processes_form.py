"""The staff console's form of a process: create one (/staff/processes/new) and edit one
(/staff/processes/<id>/edit): its title and description in the municipality's languages, its phases
and their dates (rows of a table that works without script: the existing phases and a few empty
ones), and its themes. The proposals service checks the phases' order and overlaps; its messages are
shown at the row and date they are about, with everything typed kept."""
from __future__ import annotations

import re

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import fetch
from gateway.pages.labels import field_errors, in_order, refusal, translate_error
from gateway.pages.proposals import phase_labels
from gateway.pages.render import render
from gateway.pages.session import home_municipality
from gateway.pages.staff import staff_only
from gateway.pages.staff_processes_common import (
    catalogue, problem_json, process_or_404, simple_errors, slug, text_languages, texts_errors, texts_of, title_of)

EMPTY_ROWS = 3  # empty phase rows offered below the existing ones
MAX_ROWS = 15
PHASE_FIELDS = ("code", "starts_on", "ends_on")
_ROW_MESSAGE = re.compile(r"^Phase (\d+)(?: \([a-z_]+\))?[:]? (.*)$")


def _rows_of(phases: list[dict], empty: int = EMPTY_ROWS) -> list[dict]:
    return [{name: str(phase.get(name) or "") for name in PHASE_FIELDS} for phase in phases] + [
        {"code": "", "starts_on": "", "ends_on": ""} for _ in range(empty)]


def _form_of(process: dict | None, languages) -> dict:
    """The form's values for a process being edited, or the empty form of a new one (the platform's
    six phases in their order, without dates)."""
    if process is None:
        form = {"id": "", "themes": [], "rows": [{"code": code, "starts_on": "", "ends_on": ""}
                                                 for code in phase_labels()]}
    else:
        form = {"id": process["id"], "themes": list(process.get("themes") or {}), "rows": _rows_of(process.get("phases") or [])}
    for name in ("title", "description"):
        texts = (process or {}).get(name) or {}
        form.update({f"{name}-{code}": texts.get(code, "") for code, _name in languages})
    return form


def _read_form(languages) -> dict:
    form = {"id": (request.form.get("id") or "").strip().lower(), "themes": request.form.getlist("themes")}
    for name in ("title", "description"):
        form.update({f"{name}-{code}": (request.form.get(f"{name}-{code}") or "").strip() for code, _name in languages})
    count = min(_number(request.form.get("phase_rows")), MAX_ROWS)
    form["rows"] = [{name: (request.form.get(f"phase-{index}-{name}") or "").strip() for name in PHASE_FIELDS}
                    for index in range(1, count + 1)]
    return form


def _number(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _phases_sent(rows: list[dict]) -> tuple[list[dict], list[int]]:
    """The rows with a date as the service's phases (a row without dates is left out: that is how a
    phase is removed), and the row number (1-based) of each."""
    phases, numbers = [], []
    for number, row in enumerate(rows, start=1):
        if row["starts_on"] or row["ends_on"]:
            phases.append({name: row[name] for name in PHASE_FIELDS if row[name]})
            numbers.append(number)
    return phases, numbers


def _phase_errors(messages, numbers: list[int]) -> dict[str, list[str]]:
    """The service's phase messages at the row and field they are about."""
    found: dict[str, list[str]] = {}
    if isinstance(messages, dict):  # marshmallow: {index: {field: [message]}}
        for index, fields in messages.items():
            number = numbers[int(index)] if str(index).isdigit() and int(index) < len(numbers) else 1
            for name, texts in field_errors(fields if isinstance(fields, dict) else {"code": fields}).items():
                found.setdefault(f"phase-{number}-{name if name in PHASE_FIELDS else 'code'}", []).extend(texts)
        return found
    for message in messages if isinstance(messages, list) else [messages]:
        match = _ROW_MESSAGE.match(str(message))
        if not match:
            found.setdefault("phases", []).append(translate_error(str(message)))
            continue
        sent = int(match[1])
        number = numbers[sent - 1] if 0 < sent <= len(numbers) else 1
        if "ends before it starts" in match[2]:
            field, text = "ends_on", _("Phase %(number)d ends before it starts: its end date must be on or after "
                                       "its start date.", number=number)
        elif "starts before the previous one ends" in match[2]:
            field, text = "starts_on", _("Phase %(number)d starts before the phase above it ends: phases follow "
                                         "each other and may not overlap.", number=number)
        else:
            field, text = "code", _("Phase %(number)d: choose one of the offered phases.", number=number)
        found.setdefault(f"phase-{number}-{field}", []).append(text)
    return found


OWN_MESSAGES = {
    "Already taken.": lambda: _("This address is already taken. Choose another one."),
    "Use 2-64 lower-case letters, digits, - or _.": lambda: _(
        "Use 2 to 64 lower-case letters (a-z), digits, - or _, starting with a letter."),
    "Not a valid date.": lambda: _("Enter a date, like 2026-05-01."),
}


def _errors_of(answer, languages, numbers: list[int]) -> dict[str, list[str]]:
    errors, default = problem_json(answer), languages[0][0]
    found = {**texts_errors(errors, "title", default), **texts_errors(errors, "description", default),
             **simple_errors(errors, ("id", "themes")), **_phase_errors(errors.get("phases", []), numbers)}
    for key, messages in found.items():
        found[key] = [OWN_MESSAGES[m]() if m in OWN_MESSAGES else m for m in messages]
    if "themes" in found:
        found["themes"] = [_("Choose at least one theme.")] if not request.form.getlist("themes") else found["themes"]
    return found


def _order(errors: dict, languages, rows: int) -> dict:
    fields = ("id", *(f"title-{c}" for c, _n in languages), *(f"description-{c}" for c, _n in languages),
              "phases", *(f"phase-{n}-{f}" for n in range(1, rows + 1) for f in PHASE_FIELDS), "themes")
    return in_order(errors, fields)


def _page(process: dict | None, form: dict, errors: dict, status: int = 200):
    themes = catalogue()
    known = {t["code"] for t in themes}
    for code, competence in ((process or {}).get("themes") or {}).items():  # a theme since removed from the catalogue
        if code not in known:
            themes.append({"code": code, "label": code, "competence": competence, "national": False})
    own = (process or {}).get("themes") or {}
    for theme in themes:
        theme["competence"] = own.get(theme["code"], theme.get("competence"))
    title, title_lang = title_of(process) if process else ("", None)
    return render("staff_processes_form.html", status, process=process, process_title=title,
                  process_title_lang=title_lang, form=form,
                  errors=errors, languages=text_languages(), themes=themes,
                  phase_options=list(phase_labels().items()))


def _submitted(process: dict | None):
    """Send the form to create_process or update_process; the new process's page, or the form again."""
    languages = text_languages()
    form = _read_form(languages)
    default, default_name = languages[0]
    if not form[f"title-{default}"]:
        errors = {f"title-{default}": [_("Give the process a title in %(language)s.", language=default_name)]}
        return _page(process, form, errors, 422)
    phases, numbers = _phases_sent(form["rows"])
    body = {"title": texts_of(form, "title", languages), "description": texts_of(form, "description", languages),
            "phases": phases, "themes": form["themes"]}
    if process is None:
        body["id"] = form["id"] or slug(form[f"title-{default}"], home_municipality())
        answer = fetch("create_process", json=body)
    else:
        answer = fetch("update_process", process_id=process["id"], json=body)
    if answer.status_code in (200, 201):
        done = answer.json()
        flash(_("The process was created.") if process is None else _("Your changes were saved."), "success")
        return redirect(url_for("pages.staff_process", process_id=done["id"]))
    errors = _errors_of(answer, languages, numbers)
    if process is None and not form["id"] and "id" in errors:  # the address made from the title
        errors["id"] = [_("The address made from the title is taken or not usable: write one of your own.")]
    errors = _order(errors, languages, len(form["rows"])) or {"_form": [refusal(answer)]}
    return _page(process, form, errors, answer.status_code if answer.status_code in (403, 404, 409, 422) else 422)


@bp.route("/m/<municipality>/staff/processes/new", methods=["GET", "POST"])
@staff_only
def staff_new_process():
    if request.method == "POST":
        return _submitted(None)
    return _page(None, _form_of(None, text_languages()), {})


@bp.route("/m/<municipality>/staff/processes/<process_id>/edit", methods=["GET", "POST"])
@staff_only
def staff_edit_process(process_id):
    process = process_or_404(process_id)
    if request.method == "POST":
        return _submitted(process)
    return _page(process, _form_of(process, text_languages()), {})
