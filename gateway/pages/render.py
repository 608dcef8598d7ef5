"""Rendering: template filters, the context every page gets, and errors as pages."""
from __future__ import annotations

import html
import logging
import math
import re
from datetime import UTC, datetime
from urllib.parse import urlencode

import nh3
from babel.dates import format_datetime, format_timedelta, get_timezone
from flask import g, render_template, request, session
from flask_babel import force_locale
from jinja2 import Environment
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from gateway.domain import ANONYMOUS
from gateway.municipalities import all_municipalities
from gateway.pages.blueprint import N_, PAGE_LANGUAGES, TIMEZONE, bp
from gateway.pages.calls import ServiceDown
from gateway.pages.labels import autonym, label, localised
from gateway.pages.session import acting_caller, csrf_token, current_caller, current_language, home_municipality
from services.auth import Caller
from services import db
from services.db import UNAVAILABLE
from services.errors import Forbidden
from services.i18n import DEFAULT_LANGUAGE, babel_locale, direction, html_lang
from services.limits import TooManyAttempts
from services.settings import get_settings

LJUBLJANA = get_timezone(TIMEZONE)


def _as_datetime(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@bp.app_template_filter("local_datetime")
def local_datetime(value, fmt: str = "medium") -> str:
    """A service timestamp in Ljubljana's local time, in the visitor's language."""
    moment = _as_datetime(value)
    if moment is None:
        return ""
    return format_datetime(moment, fmt, tzinfo=LJUBLJANA, locale=babel_locale(current_language()))


@bp.app_template_filter("time_until")
def time_until(value) -> str:
    """How long until a service timestamp, in words ("in 3 days", "2 hours ago")."""
    moment = _as_datetime(value)
    if moment is None:
        return ""
    return format_timedelta(moment - datetime.now(UTC), threshold=1.5, add_direction=True,
                            locale=babel_locale(current_language()))


@bp.app_template_filter("iso_datetime")
def iso_datetime(value) -> str:
    moment = _as_datetime(value)
    return moment.astimezone(LJUBLJANA).isoformat() if moment else ""


@bp.app_template_filter("paragraphs")
def paragraphs(text: str | None) -> list[list[str]]:
    """Plain text (the service strips markup and escapes entities) as paragraphs of lines."""
    text = html.unescape(text or "").replace("\r\n", "\n").strip()
    return [block.split("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]


# The Markdown subset the proposals service renders; sanitised here again before it is trusted.
RICH_TEXT_TAGS = {"p", "h3", "h4", "ul", "ol", "li", "blockquote", "strong", "em", "code", "a", "br"}


@bp.app_template_filter("sanitised")
def sanitised(fragment: str | None) -> Markup:
    """A service's rendered rich text, cleaned by nh3 to the subset, safe to put in the page."""
    return Markup(nh3.clean(fragment or "", tags=RICH_TEXT_TAGS, attributes={"a": {"href"}},
                            url_schemes={"http", "https"}, link_rel="noopener noreferrer nofollow"))


def language_links() -> list[dict]:
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return [{"code": code, "name": autonym(code), "current": code == current_language(),
             "href": request.path + "?" + urlencode(pairs + [("lang", code)])}
            for code in PAGE_LANGUAGES]


@bp.context_processor
def page_context():
    caller, here = acting_caller(), home_municipality()
    return {"caller": caller, "signed_in": current_caller().id != ANONYMOUS, "user_email": session.get("email"),
            "account_role": current_caller().role, "national": request.endpoint in NATIONAL_PAGES,
            "municipality": all_municipalities().get(here), "municipalities": all_municipalities(),
            "current_lang": current_language(), "language_links": language_links(),
            "csrf_token": csrf_token, "label": label, "localised": localised,
            "html_lang": html_lang, "text_direction": direction,
            "municipality_name": getattr(all_municipalities().get(here), "name", here)}


# Pages about the platform rather than one municipality: no municipality in their header and footer.
NATIONAL_PAGES = {"pages.landing", "pages.receipt_check", "pages.accessibility", "pages.operator_status", "pages.operator_municipalities",
                  "pages.operator_new_municipality", "pages.operator_edit_municipality",
                  # one's own pages (gateway.pages.me*, password_reset): personal, not municipal
                  "pages.inbox", "pages.mark_read", "pages.account_settings", "pages.change_password",
                  "pages.password_reset", "pages.new_password", "pages.notification_settings",
                  "pages.unsubscribe", "pages.my_data", "pages.my_data_download", "pages.delete_account",
                  "pages.tracker", "pages.tracker_group", "pages.tracker_institutions",  # the public tracker
                  "pages.portal_home", "pages.portal_dossier_page", "pages.portal_reply_page", "pages.portal_verify",
                  "pages.open_data",
                  "pages.operator_webhooks", "pages.operator_webhook", "pages.operator_webhook_switch"}


def render(template: str, code: int = 200, /, **context):
    return render_template(template, **context), code


# --- errors as pages -----------------------------------------------------------------------

log = logging.getLogger(__name__)

ERROR_TEXT = {
    400: (N_("The request could not be handled"), None),
    403: (N_("Not allowed"), N_("You are not allowed to see this page.")),
    404: (N_("Page not found"), N_("The page or proposal you are looking for does not exist or is not "
                                    "public. Check the address, or go to the list of proposals.")),
    405: (N_("Not allowed"), N_("This page cannot be used in this way.")),
    413: (N_("Too much data"), N_("What you sent is too long. Shorten it and try again.")),
}


def _error_words(error: HTTPException) -> tuple[int, str, str]:
    code = error.code or 500
    title, text = ERROR_TEXT.get(code, (N_("Something went wrong"), N_(
        "The page could not be shown. Please try again in a moment.")))
    if code == 400 and error.description != type(error).description:
        message = error.description  # already translated where it was raised
    else:
        message = _(text or N_("The request could not be handled. Go back, reload the page and try again."))
    return code, _(title), message


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    code, title, message = _error_words(error)
    return render("error.html", code, title=title, message=message)


def unrouted_error(error: HTTPException):
    """An address no page has, or a method none takes, outside the API: the pages' own error page
    (the blueprint's handlers and context do not run when no route matched)."""
    code, title, message = _error_words(error)
    return render_template("error.html", **page_context(), title=title, message=message), code


BLOCKED = N_("Registrations and supports from your network or e-mail domain are not accepted in this "
             "municipality. If you think this is a mistake, contact the municipality.")


@bp.errorhandler(Forbidden)
def refused(error: Forbidden):
    """An operation the visitor's role may not call (the route table's access check), or a support
    from a network or e-mail domain staff have blocked (gateway.blocks)."""
    title, text = ERROR_TEXT[403]
    message = BLOCKED if error.code == "blocked" else text
    return render("error.html", 403, title=_(title), message=_(message))


@bp.errorhandler(TooManyAttempts)
def too_many(error: TooManyAttempts):
    """Any form refused by an abuse limit (gateway.abuse, in the inner client): the wait, in minutes."""
    minutes = max(1, math.ceil(error.retry_after / 60))
    page, status = render("error.html", 429, title=_("Too many attempts"), message=ngettext(
        "Too many attempts. Try again in %(num)d minute.", "Too many attempts. Try again in %(num)d minutes.",
        minutes))
    return page, status, {"Retry-After": str(int(error.retry_after))}


@bp.errorhandler(ServiceDown)
def service_down(error: ServiceDown):
    """An inner service is down: the usual error page, and when to come back."""
    return render("error.html", 503, title=_("Temporarily unavailable"), message=UNAVAILABLE_TEXT()) + (
        {"Retry-After": str(get_settings().retry_after_seconds)},)


def database_down(error: Exception):
    """The gateway's own database is out of reach: a page that needs nothing from it (who is signed
    in, the municipalities and the theme all come from there), at once, and when to come back."""
    db.note_outage(error)
    log.warning("%s %s: the database is unavailable: %s", request.method, request.path, type(error).__name__)
    g.caller = Caller(ANONYMOUS, ANONYMOUS, g.get("municipality") or "")
    language = request.args.get("lang") or session.get("lang")
    language = language if language in PAGE_LANGUAGES else DEFAULT_LANGUAGE
    with force_locale(babel_locale(language)):
        title, message = _("Temporarily unavailable"), UNAVAILABLE_TEXT()
        body = UNAVAILABLE_PAGE.render(title=title, message=message, lang=html_lang(language),
                                      dir=direction(language), again=_("Try again"), here=request.full_path)
    return body, 503, {"Retry-After": str(get_settings().retry_after_seconds)}


def UNAVAILABLE_TEXT() -> str:  # noqa: N802 - a translated constant
    return _("Part of the platform is not reachable right now. Please try again in a moment.")


# A template of its own, outside Flask's: the pages' context processors read the database.
UNAVAILABLE_PAGE = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="{{ lang }}" dir="{{ dir }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><main id="main" class="wrap"><h1>{{ title }}</h1><p>{{ message }}</p>
<p><a href="{{ here }}">{{ again }}</a></p></main></body></html>""")

for _error_class in UNAVAILABLE:
    bp.register_error_handler(_error_class, database_down)
