"""Workshop input in the staff console: recording what a focus group or a world café shaped
(/staff/processes/<id>/workshops/new: the workshop's kind, facilitator, day, participants and
languages, and the measure it produced, which the proposals service publishes at once as a proposal
of the workshop, with its competence), and the process's workshop records
(/staff/processes/<id>/workshops, newest first)."""
from __future__ import annotations

import math

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch, try_fetch
from gateway.pages.labels import autonym, field_errors, in_order, label, refusal
from gateway.pages.proposals import theme_labeller
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_processes_common import (
    COMPETENCES, TEXT_LANGUAGES, problem_json, process_or_404, text_languages, title_of)

PER_PAGE = 20
KINDS = ("focus_group", "world_cafe")
WORKSHOP_FIELDS = ("kind", "facilitator", "held_on", "participants", "languages", "notes")
OUTCOME_FIELDS = ("title", "summary", "body", "theme", "language", "competence", "justification")
CARRIED = ("kind", "facilitator", "held_on", "participants")  # kept for the next outcome of the same workshop


def workshop_records(process_id: str, page: int, per_page: int = PER_PAGE) -> tuple[list[dict] | None, int]:
    """The process's workshop input, newest first (None when the proposals service is down)."""
    answer = try_fetch("list_proposals", params={"process_id": process_id, "author_kind": "workshop",
                                                 "sort": "newest", "page": page, "per_page": per_page})
    if answer is None or answer.status_code != 200:
        return None, 0
    listing = answer.json()
    items = [{**item, "languages_text": ", ".join(autonym(code) for code in (item.get("workshop") or {}).get(
        "languages") or [])} for item in listing.get("items", [])]
    return items, listing.get("total", 0)


def _language_options() -> list[tuple[str, str]]:
    first = [code for code, _name in text_languages()]
    return [(code, autonym(code)) for code in first + [c for c in TEXT_LANGUAGES if c not in first]]


def _empty_form() -> dict:
    form = {name: (request.args.get(name) or "").strip()[:200] for name in CARRIED}
    if form["kind"] not in KINDS:
        form["kind"] = ""
    form.update({"languages": [c for c in request.args.getlist("languages") if c in TEXT_LANGUAGES],
                 "notes": "", "title": "", "summary": "", "body": "", "theme": "", "competence": "",
                 "justification": "", "language": text_languages()[0][0]})
    return form


def _errors_of(answer) -> dict[str, list[str]]:
    found = problem_json(answer)
    nested = found.pop("workshop", None)
    errors = field_errors(found)
    if isinstance(nested, dict):
        errors.update(field_errors(nested))
    elif nested:
        errors["kind"] = field_errors({"workshop": nested})["workshop"]
    own = {"participants": _("Enter the number of participants, from 1 to 1000."),
           "held_on": _("Enter the day of the workshop, like 2026-05-01."),
           "languages": _("Choose at least one language spoken at the workshop."),
           "kind": _("Choose whether it was a focus group or a world café.")}
    for name, text in own.items():
        if name in errors:
            errors[name] = [text]
    if "theme" in errors:
        errors["theme"] = [_("Choose one of the process's themes.")]
    if "justification" in errors:
        errors["justification"] = [_("Explain why the competence differs from the theme's default.")]
    return in_order(errors, (*WORKSHOP_FIELDS, *OUTCOME_FIELDS))


def _page(process: dict, form: dict, errors: dict, status: int = 200, recorded: dict | None = None):
    theme_label = theme_labeller()
    title, title_lang = title_of(process)
    return render("staff_processes_workshop.html", status, process=process, process_title=title,
                  process_title_lang=title_lang,
                  form=form, errors=errors, recorded=recorded, kinds=[(k, label("workshop", k)) for k in KINDS],
                  language_options=_language_options(),
                  theme_options=[(code, f"{theme_label(code)} ({label('competence', competence)})")
                                 for code, competence in (process.get("themes") or {}).items()],
                  competence_options=[(code, label("competence", code)) for code in COMPETENCES])


@bp.route("/m/<municipality>/staff/processes/<process_id>/workshops/new", methods=["GET", "POST"])
@staff_only
def staff_new_workshop_input(process_id):
    process = process_or_404(process_id)
    if request.method == "GET":
        recorded = None
        if request.args.get("recorded"):
            found = try_fetch("get_proposal", proposal_id=checked_id(request.args["recorded"]))
            recorded = found.json() if found is not None and found.status_code == 200 else None
        return _page(process, _empty_form(), {}, recorded=recorded)
    form = {name: (request.form.get(name) or "").strip() for name in (*WORKSHOP_FIELDS, *OUTCOME_FIELDS)}
    form["languages"] = request.form.getlist("languages")
    workshop = {name: form[name] for name in WORKSHOP_FIELDS if form[name]}
    body = {"process_id": process["id"], "workshop": workshop, "language": form["language"],
            "competence": form["competence"] or (process.get("themes") or {}).get(form["theme"]),
            **{name: form[name] for name in ("title", "summary", "body", "theme", "justification") if form[name]}}
    answer = fetch("workshop_input", json={k: v for k, v in body.items() if v is not None})
    if answer.status_code == 201:
        created = answer.json()
        flash(_("The outcome “%(title)s” was recorded and published as the workshop's proposal.",
                title=created.get("title", "")), "success")
        return redirect(url_for("pages.staff_new_workshop_input", process_id=process["id"], recorded=created["id"],
                                languages=form["languages"], **{name: form[name] for name in CARRIED}))
    errors = _errors_of(answer) or {"_form": [refusal(answer)]}
    return _page(process, form, errors, answer.status_code if answer.status_code in (403, 409, 422) else 422)


def _page_number() -> int:
    try:
        return min(max(1, int(request.args.get("page", 1))), 10000)
    except ValueError:
        return 1


@bp.get("/m/<municipality>/staff/processes/<process_id>/workshops")
@staff_only
def staff_workshop_records(process_id):
    process = process_or_404(process_id)
    page = _page_number()
    records, total = workshop_records(process["id"], page)
    title, title_lang = title_of(process)
    return render("staff_processes_workshops.html", process=process, process_title=title,
                  process_title_lang=title_lang,
                  records=records, total=total, page=page, pages=max(1, math.ceil(total / PER_PAGE)),
                  page_url=lambda number: url_for("pages.staff_workshop_records", process_id=process["id"],
                                                  page=number),
                  theme_label=theme_labeller())
