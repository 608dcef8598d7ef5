"""What the votes section's forms share: local (Ljubljana) times typed into a form and back, the
voting rules as form fields, and the voting service's field messages in the staff's words."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from gateway.pages.blueprint import N_, TIMEZONE
from gateway.pages.labels import translate_error

LOCAL = ZoneInfo(TIMEZONE)
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
RULE_FIELDS = ("quorum_ballots", "quorum_percent", "majority", "qualified_percent", "tie", "live_results",
               "support_threshold")

_MESSAGES = {
    "Must be after opens_at.": N_("The closing time must be after the opening time."),
    "Must be in the future.": N_("Choose a time in the future."),
    "The vote is already open.": N_("The vote is already open, so its opening time cannot change."),
    "Must be between 0.5 and 1.": N_("Enter a share between 50 and 100 %."),
    "Must be between 0 and 100.": N_("Enter a share between 0 and 100 %."),
    "Must not be negative.": N_("Enter 0 or more."),
    "Check ids and max_selections.": N_("Check the measures and how many each voter may choose."),
}


def service_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The voting service's field messages (already through labels.field_errors) in the staff's words."""
    return {field: [_(_MESSAGES[m]) if m in _MESSAGES else translate_error(m) for m in messages]
            for field, messages in errors.items()}


def local_input(value) -> str:
    """A service timestamp (ISO, UTC) as a datetime-local field's value in Ljubljana time."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL).strftime(LOCAL_FORMAT)


def parse_local(text: str) -> datetime | None:
    """A typed local time (Ljubljana) as an aware UTC datetime; None when empty; ValueError when not a time."""
    text = (text or "").strip().replace(" ", "T")
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment.astimezone(UTC)


def window_body(form: dict, fields: tuple[str, ...]) -> tuple[dict, dict[str, list[str]]]:
    """The window's body for the service ({field: ISO or None}) from the typed local times, and the
    errors of what could not be read as a date and time."""
    body, errors = {}, {}
    for name in fields:
        try:
            moment = parse_local(form.get(name, ""))
        except ValueError:
            errors[name] = [_("Enter a date and a time, for example 2025-06-01 18:00.")]
            continue
        body[name] = moment.isoformat() if moment else None
    return body, errors


def rules_form(rules: dict) -> dict:
    """The service's rules as the form's values (the qualified majority as a percentage)."""
    form = {name: rules.get(name) for name in RULE_FIELDS if name in rules}
    fraction = rules.get("qualified_fraction")
    form["qualified_percent"] = f"{round(fraction * 100, 2):g}" if fraction is not None else ""
    for name in ("quorum_ballots", "support_threshold"):
        form[name] = str(rules.get(name, 0))
    form["quorum_percent"] = f"{rules.get('quorum_percent', 0):g}"
    return form


def rules_body(form: dict) -> tuple[dict, dict[str, list[str]]]:
    """The rules typed into the form as the service's body, and the errors of what is not a number."""
    body, errors = {"majority": form.get("majority"), "tie": form.get("tie"),
                    "live_results": form.get("live_results") == "yes"}, {}
    for name in ("quorum_ballots", "support_threshold"):
        try:
            body[name] = int(form.get(name) or "0")
        except ValueError:
            errors[name] = [_("Enter a whole number, 0 or more.")]
    for name, target, scale in (("quorum_percent", "quorum_percent", 1), ("qualified_percent", "qualified_fraction", 100)):
        try:
            body[target] = round(float((form.get(name) or "0").replace(",", ".")) / scale, 6)
        except ValueError:
            errors[name] = [_("Enter a number, for example 50 or 66.7.")]
    return body, errors


def rules_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The service's rule errors under the form's field names."""
    return {("qualified_percent" if field == "qualified_fraction" else field): messages
            for field, messages in service_errors(errors).items()}
