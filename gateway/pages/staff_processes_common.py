"""What the processes section's pages share: the municipality's languages for per-language texts,
the theme catalogue with labels, addresses made from titles, a process as the console shows it, and
the service's field messages tied to the form's fields."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from flask import abort
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.municipalities import all_municipalities
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import autonym, field_errors, label, problem_of, translate_error
from gateway.pages.processes import _as_date, in_language, today
from gateway.pages.proposals import phase_labels, theme_labeller
from gateway.pages.session import home_municipality
from proposals.schemas import LANGUAGES as TEXT_LANGUAGES
from services.i18n import DEFAULT_LANGUAGE

SOON = 7  # days: a phase starting or ending this soon is on the dashboard
COMPETENCES = ("municipal", "national", "shared")


def text_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages a process's texts are written in: the municipality's default
    language first, then English, then its other languages (all of them ones the service keeps)."""
    here = all_municipalities().get(home_municipality())
    default = getattr(here, "default_language", None) or DEFAULT_LANGUAGE
    codes = [default, "en", *(getattr(here, "languages", None) or [])]
    ordered = [code for index, code in enumerate(codes) if code in TEXT_LANGUAGES and code not in codes[:index]]
    return [(code, autonym(code)) for code in ordered]


def texts_of(form: dict, name: str, languages: list[tuple[str, str]]) -> dict[str, str]:
    """{language: text} of the non-empty `name-<language>` fields."""
    return {code: form[f"{name}-{code}"] for code, _name in languages if form.get(f"{name}-{code}")}


def slug(text: str, prefix: str) -> str:
    """An address from a title: `prefix-words-of-the-title`, ASCII, lower case, at most 64 long."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return f"{prefix}-{words}"[:64].rstrip("-") if words else ""


def catalogue() -> list[dict]:
    """Every theme (the nine national ones, then the municipality's own), each with its label."""
    answer = fetch("list_themes")
    listed = answer.json() if answer.status_code == 200 else []
    theme_label = theme_labeller()
    return [{**theme, "label": theme_label(theme["code"]) if theme.get("national")
             else _own_label(theme), "competence_label": label("competence", theme.get("competence"))}
            for theme in listed]


def _own_label(theme: dict) -> str:
    return in_language(theme.get("labels"), theme["code"])[0]


def process_or_404(process_id: str) -> dict:
    answer = fetch("get_process", process_id=checked_id(process_id))
    if answer.status_code != 200:
        abort(404 if answer.status_code in (403, 404, 422) else answer.status_code)
    return answer.json()


def title_of(process: dict) -> tuple[str, str | None]:
    return in_language(process.get("title"), process.get("id", ""))


def phases_of(process: dict) -> list[dict]:
    """The process's phases with their label and days."""
    labels, found = phase_labels(), []
    for phase in process.get("phases") or []:
        starts, ends = _as_date(phase.get("starts_on")), _as_date(phase.get("ends_on"))
        if starts and ends:
            found.append({"code": phase["code"], "label": labels.get(phase["code"], phase["code"]),
                          "starts_on": starts, "ends_on": ends})
    return found


def state_of(process: dict, day: date | None = None) -> str:
    """setup (no phases or no themes), upcoming, running or ended."""
    day, phases = day or today(), phases_of(process)
    if not phases or not process.get("themes"):
        return "setup"
    if all(p["ends_on"] < day for p in phases):
        return "ended"
    if all(p["starts_on"] > day for p in phases):
        return "upcoming"
    return "running"


def state_labels() -> dict[str, str]:
    return {"running": _("Running"), "upcoming": _("Not started yet"), "ended": _("Ended"),
            "setup": _("Needs setting up"), "soon": _("A phase starts or ends within 7 days")}


def changes_soon(process: dict, day: date | None = None) -> list[dict]:
    """The phase starts and ends within SOON days (today included): {phase, kind, on, words}."""
    day, found = day or today(), []
    for phase in phases_of(process):
        for kind, on in (("starts", phase["starts_on"]), ("ends", phase["ends_on"])):
            if day <= on <= day + timedelta(days=SOON):
                found.append({"phase": phase, "kind": kind, "on": on, "words": in_days((on - day).days)})
    return sorted(found, key=lambda change: change["on"])


def in_days(days: int) -> str:
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(num)d day", "in %(num)d days", days)


# --- the service's refusals, tied to the form's fields ------------------------------------------

def problem_json(answer) -> dict:
    return (problem_of(answer).get("errors") or {}).get("json") or {}


def texts_errors(errors: dict, name: str, default: str) -> dict[str, list[str]]:
    """Errors of a {language: text} field at its language's field (`name-<language>`), or at the
    default language's one when they are about the whole field."""
    messages = errors.get(name)
    if messages is None:
        return {}
    if isinstance(messages, dict) and all(code in TEXT_LANGUAGES for code in messages):
        return {f"{name}-{code}": [m for ms in field_errors({"x": nested}).values() for m in ms]
                for code, nested in messages.items()}
    return {f"{name}-{default}": field_errors({name: messages})[name]}


def simple_errors(errors: dict, names: tuple[str, ...]) -> dict[str, list[str]]:
    return {name: field_errors({name: errors[name]})[name] for name in names if name in errors}


__all__ = ["COMPETENCES", "SOON", "TEXT_LANGUAGES", "catalogue", "changes_soon", "in_days", "phases_of",
           "problem_json", "process_or_404", "simple_errors", "slug", "state_labels", "state_of", "text_languages",
           "texts_errors", "texts_of", "title_of", "translate_error"]
