"""Labels of the services' codes and the services' errors, in the visitor's language."""
from __future__ import annotations

import re

import requests
from babel.core import Locale
from flask_babel import gettext as _

from gateway.pages.blueprint import N_
from gateway.pages.session import current_language
from services.i18n import DEFAULT_LANGUAGE, babel_locale

# --- labels of the services' codes (translated when shown) --------------------------------

LABELS = {
    "theme": {"employment": N_("Employment"), "housing": N_("Housing"), "education": N_("Education"),
              "health": N_("Health"), "inclusion": N_("Inclusion")},
    "status": {"pending": N_("Awaiting moderation"), "published": N_("Published"),
               "rejected": N_("Not published")},
    "competence": {"municipal": N_("Municipal"), "national": N_("National"),
                   "shared": N_("Shared (municipal and national)")},
    "vote": {"published": N_("Not open yet"), "open": N_("Open"), "closed": N_("Closed")},
    "outcome": {"adopted": N_("Adopted"), "rejected": N_("Rejected"), "no_quorum": N_("No quorum")},
    "choice": {"yes": N_("Yes"), "no": N_("No"), "abstain": N_("Abstain")},
    "dossier": {"prepared": N_("Prepared"), "dispatching": N_("Being sent"),
                "failed": N_("Sending failed; it will be retried"), "acknowledged": N_("Receipt confirmed"),
                "abandoned": N_("Sending stopped; staff will retry"), "awaiting_review": N_("Waiting for staff review"),
                "awaiting_manual": N_("To be sent by post or by hand"), "sent": N_("Sent"),
                "replied": N_("Replied"), "cancelled": N_("Withdrawn")},
    "workshop": {"focus_group": N_("Focus group"), "world_cafe": N_("World café")},
    "role": {"resident": N_("Resident"), "staff": N_("Municipal staff"), "institution": N_("Institution")},
}


def label(kind: str, code: str | None) -> str:
    """The translated label of a service code, or the code itself when unknown."""
    if code is None:
        return ""
    text = LABELS.get(kind, {}).get(code)
    return _(text) if text is not None else code


def autonym(code: str) -> str:
    """A language's name in that language (what a speaker looks for in a list)."""
    try:
        locale = babel_locale(code)
        name = Locale.parse(locale).get_display_name(locale) or code
    except (ValueError, LookupError):
        return code
    return name[:1].upper() + name[1:]


def localised(names: dict | None, fallback: str = "") -> str:
    """Pick the current language's text from a {language: text} dict."""
    if not names:
        return fallback
    lang = current_language()
    for code in (lang, "en", DEFAULT_LANGUAGE):
        if names.get(code):
            return names[code]
    return next(iter(names.values()), fallback)


# --- service errors, in the visitor's language --------------------------------------------

_KNOWN_ERRORS = {
    "Missing data for required field.": N_("This field is required."),
    "Field may not be null.": N_("This field is required."),
    "Not a valid string.": N_("Enter text."),
    "Not a valid email address.": N_("Enter a valid e-mail address, like name@example.org."),
    "Use at least 10 characters.": N_("Use at least 10 characters."),
    "Mix letters with digits or symbols.": N_("Mix letters with digits or symbols."),
    "This password is too common. Choose one that others are unlikely to use.": N_(
        "This password is too common. Choose one that others are unlikely to use."),
    "Do not repeat the same characters or pattern.": N_("Do not repeat the same characters or pattern."),
    "Do not use your e-mail address in the password.": N_("Do not use your e-mail address in the password."),
    "Already registered.": N_("An account with this e-mail address already exists. Sign in instead."),
    "Unknown process.": N_("Choose one of the offered processes."),
    "A reason is required to reject.": N_("Give a reason for the rejection."),
    "Unknown field.": N_("This field is not expected."),
    "The current password is wrong.": N_("The current password is wrong."),
    "Choose a password other than the current one.": N_("Choose a password other than the current one."),
}
_ERROR_PATTERNS = [
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"),
     lambda m: _("Use between %(min)s and %(max)s characters.", min=m[1], max=m[2])),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"),
     lambda m: _("Use at least %(min)s characters.", min=m[1])),
    (re.compile(r"^Longer than maximum length (\d+)\.$"),
     lambda m: _("Use at most %(max)s characters.", max=m[1])),
    (re.compile(r"^Must be one of: .*$"), lambda m: _("Choose one of the offered options.")),
]


def translate_error(message: str) -> str:
    """A service's (English) field message in the visitor's language, when it is a known one."""
    known = _KNOWN_ERRORS.get(message)
    if known is not None:
        return _(known)
    for pattern, render in _ERROR_PATTERNS:
        match = pattern.match(message)
        if match:
            return render(match)
    return message


def field_errors(errors: dict | None) -> dict[str, list[str]]:
    """{field: [message, ...]} from marshmallow-style errors (a problem's errors.json)."""
    result: dict[str, list[str]] = {}
    for field, messages in (errors or {}).items():
        if isinstance(messages, dict):  # nested fields: report on the outer one
            messages = [m for nested in field_errors(messages).values() for m in nested]
        elif isinstance(messages, str):
            messages = [messages]
        result[field] = [translate_error(str(m)) for m in messages]
    return result


def in_order(errors: dict[str, list[str]], fields: tuple[str, ...]) -> dict[str, list[str]]:
    """Errors in the order of the form's fields (the error summary follows the page)."""
    return {**{f: errors[f] for f in fields if f in errors},
            **{f: m for f, m in errors.items() if f not in fields}}


def problem_errors(answer: requests.Response) -> dict[str, list[str]]:
    return field_errors((problem_of(answer).get("errors") or {}).get("json"))


def problem_of(answer: requests.Response) -> dict:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


REFUSALS = {
    401: N_("Your session has expired. Please sign in again."),
    403: N_("You are not allowed to do this."),
    404: N_("This proposal could not be found."),
    409: N_("This is not possible in the proposal's current state. The page shows its current state."),
    413: N_("What you sent is too long."),
    422: N_("Some of the information was not valid."),
}


BLOCKED = N_("Your account is blocked from taking part in this municipality. Contact the municipality if you "
             "think this is a mistake.")


def refusal(answer: requests.Response, **overrides) -> str:
    """A translated sentence for a service's refusal (the service's own detail is English)."""
    if answer.status_code == 403 and problem_of(answer).get("code") == "blocked":
        return _(BLOCKED)  # whatever the page's usual words for a 403: the visitor needs to know this
    override = overrides.get(f"on_{answer.status_code}")
    if override:
        return override
    text = REFUSALS.get(answer.status_code)
    return _(text) if text else _("Something went wrong. Please try again.")
