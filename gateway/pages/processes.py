"""Pages of the municipality's participatory processes: the list (/m/<municipality>/processes) and one
process (/m/<municipality>/processes/<id>) with its themes, each leading to the proposals on it, and its
phases as a timeline (what is happening now and what comes next, by the calendar of Ljubljana)."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_timedelta
from flask import abort
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch, processes, try_fetch
from gateway.pages.proposals import phase_labels, theme_labeller
from gateway.pages.render import LJUBLJANA, render
from gateway.pages.session import current_language
from services.calendar import local_today
from services.i18n import DEFAULT_LANGUAGE, babel_locale


def _as_date(value) -> date | None:
    """A service's date ("2026-05-01") as it is, a timestamp as its day in Ljubljana."""
    if isinstance(value, datetime):
        return value.astimezone(LJUBLJANA).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value) if len(value) == 10 else _as_date(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


@bp.app_template_filter("local_date")
def local_date(value, fmt: str = "long") -> str:
    """A day in the visitor's language ("1 May 2026", "1. maj 2026")."""
    day = _as_date(value)
    return format_date(day, fmt, locale=babel_locale(current_language())) if day else ""


def today() -> date:
    """Today in Ljubljana (the municipalities' calendar, whatever the server's clock zone)."""
    return local_today()


def in_language(texts: dict | None, fallback: str = "") -> tuple[str, str | None]:
    """(text, its language) from a {language: text} dict: the visitor's language, else English, else Slovene,
    else any (the language goes in the element's lang attribute)."""
    if not texts:
        return fallback, None
    for code in (current_language(), "en", DEFAULT_LANGUAGE):
        if texts.get(code):
            return texts[code], code
    code, text = next(iter(texts.items()))
    return text, code


def timeline(process: dict) -> dict:
    """The process's phases in their order, each with its label, days and state (past, current, next or
    upcoming, by today in Ljubljana); the current and the next one; whether all of them are over."""
    labels, day = phase_labels(), today()
    phases = []
    for phase in process.get("phases") or []:
        starts, ends = _as_date(phase.get("starts_on")), _as_date(phase.get("ends_on"))
        if starts is None or ends is None:
            continue
        phases.append({"code": phase.get("code"), "label": labels.get(phase.get("code"), phase.get("code")),
                       "starts_on": starts, "ends_on": ends, "state": "past" if ends < day else "upcoming"})
    current = next((p for p in phases if p["starts_on"] <= day <= p["ends_on"]), None)
    if current is not None:
        current["state"] = "current"
    following = next((p for p in phases if p["starts_on"] > day), None)
    if following is not None:
        following["state"] = "next"
        following["starts_in"] = format_timedelta(following["starts_on"] - day, granularity="day",
                                                  threshold=1.5, add_direction=True, locale=babel_locale(current_language()))
    return {"phases": phases, "current": current, "next": following,
            "ended": bool(phases) and all(p["state"] == "past" for p in phases)}


def _described(process: dict) -> dict:
    """A process as its pages show it: title and description in the visitor's language, its timeline."""
    title, title_lang = in_language(process.get("title"), process.get("id", ""))
    description, description_lang = in_language(process.get("description"))
    return {**process, "title_text": title, "title_lang": title_lang, "description_text": description,
            "description_lang": description_lang, "timeline": timeline(process)}


@bp.get("/m/<municipality>/processes")
def process_list():
    return render("processes.html", processes=[_described(p) for p in processes()])


@bp.get("/m/<municipality>/processes/<process_id>")
def process_page(process_id):
    answer = fetch("get_process", process_id=checked_id(process_id))
    if answer.status_code != 200:
        abort(404 if answer.status_code in (403, 404, 422) else answer.status_code)
    process = _described(answer.json())
    theme_label = theme_labeller()
    counted = try_fetch("list_proposals", params={"process_id": process["id"], "per_page": 1})
    total = counted.json().get("total") if counted is not None and counted.status_code == 200 else None
    return render("process.html", process=process, total=total,
                  themes=[(code, theme_label(code), competence)
                          for code, competence in (process.get("themes") or {}).items()])
