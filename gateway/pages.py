"""Server-rendered HTML pages of the gateway: no JavaScript needed.

The pages are a second face of the same platform as /api/v1: they call the inner
services through `gateway.clients.call` with the visitor as Caller (the signed-in
person from the user token kept in the session cookie, otherwise an anonymous reader
of Idrija), and they sign people in through `gateway.handlers` like the API does.

Every POST carries a per-session CSRF token in a hidden field (400 without it).
Every user-facing string goes through Flask-Babel's gettext; the catalogue is the
platform's one catalogue in services/translations (see services/i18n.py).
"""
from __future__ import annotations

import hmac
import html
import logging
import math
import re
import secrets
from datetime import UTC, datetime
from functools import wraps
from urllib.parse import urlencode

import requests
from babel.core import Locale
from babel.dates import format_datetime, get_timezone
from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from gateway import handlers
from gateway.clients import call
from gateway.domain import ANONYMOUS, MUNICIPALITIES
from gateway.schemas import RegisterIn
from proposals.schemas import LANGUAGES as PROPOSAL_LANGUAGES
from services.auth import Caller, verify_user_token
from services.errors import DomainError
from services.i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS, compile_catalogues
from services.settings import get_settings

log = logging.getLogger(__name__)
bp = Blueprint("pages", __name__, template_folder="templates")

TIMEZONE = "Europe/Ljubljana"
LJUBLJANA = get_timezone(TIMEZONE)
DEFAULT_MUNICIPALITY = "idrija"
PER_PAGE = 10
CHOICES = ("yes", "no", "abstain")
COMPETENCES = ("municipal", "national", "shared")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def page_languages() -> tuple[str, ...]:
    """The interface languages: English (the source) and every language with a catalogue."""
    present = {p.parts[-3] for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    return tuple(code for code in LANGUAGES if code == "en" or code in present)


PAGE_LANGUAGES = page_languages()


def N_(message: str) -> str:
    """Mark a message id for extraction (pybabel's default keywords); it is translated when shown."""
    return message


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
                "abandoned": N_("Sending stopped; staff will retry")},
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
        name = Locale.parse(code).get_display_name(code) or code
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
    "Already registered.": N_("An account with this e-mail address already exists. Sign in instead."),
    "Unknown process.": N_("Choose one of the offered processes."),
    "A reason is required to reject.": N_("Give a reason for the rejection."),
    "Unknown field.": N_("This field is not expected."),
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


def refusal(answer: requests.Response, **overrides) -> str:
    """A translated sentence for a service's refusal (the service's own detail is English)."""
    override = overrides.get(f"on_{answer.status_code}")
    if override:
        return override
    text = REFUSALS.get(answer.status_code)
    return _(text) if text else _("Something went wrong. Please try again.")


# --- session: language, visitor, CSRF ----------------------------------------------------

def select_locale() -> str:
    """?lang=xx (remembered in the session) > earlier choice > Accept-Language > Slovene."""
    asked = request.args.get("lang")
    if asked in PAGE_LANGUAGES:
        if session.get("lang") != asked:
            session["lang"] = asked
        return asked
    if session.get("lang") in PAGE_LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(PAGE_LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def current_caller() -> Caller:
    """The signed-in person from the session's user token, else an anonymous reader."""
    if "caller" not in g:
        caller = None
        token = session.get("token")
        if token:
            try:
                caller = verify_user_token(token)
            except DomainError:
                _forget_user()
                flash(_("Your session has expired. Please sign in again."), "info")
        g.caller = caller or Caller(ANONYMOUS, ANONYMOUS, DEFAULT_MUNICIPALITY)
    return g.caller


def signed_in() -> bool:
    return current_caller().id != ANONYMOUS


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def _forget_user() -> None:
    for key in ("token", "email"):
        session.pop(key, None)
    session["csrf"] = secrets.token_urlsafe(32)
    g.pop("caller", None)


def _sign_in(result: dict) -> None:
    """Keep the user token in the session; a fresh CSRF token against session fixation."""
    account = result["user"]
    lang = session.get("lang")
    session.clear()
    chosen = lang or (account.language if account.language in PAGE_LANGUAGES else None)
    if chosen:  # an explicit choice wins; else the account's language (the mails use it too)
        session["lang"] = chosen
    session["token"] = result["token"]
    session["email"] = account.email
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = False
    g.pop("caller", None)


def safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ord(c) < 32 or ord(c) == 127 for c in target)):
        return target  # browsers drop tabs and newlines: "/\t/evil.example" would be "//evil.example"
    return url_for("pages.index")


def sign_in_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not signed_in():
            flash(_("Please sign in first."), "info")
            if request.method == "GET":
                target = request.full_path.rstrip("?")
            elif "proposal_id" in kwargs:
                target = url_for("pages.proposal", proposal_id=kwargs["proposal_id"])
            else:
                target = url_for("pages.index")
            return redirect(url_for("pages.login", next=target))
        return view(*args, **kwargs)
    return wrapped


@bp.before_request
def check_csrf():
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        expected = session.get("csrf", "")
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            abort(400, description=_("The form has expired or did not come from this site. "
                                     "Go back, reload the page and try again."))


@bp.after_request
def page_headers(response):
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'self'; script-src 'none'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.vary.update(("Cookie", "Accept-Language"))
    if signed_in():
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


# --- calls to the services -----------------------------------------------------------------

class ServiceDown(Exception):
    def __init__(self, service: str):
        super().__init__(service)
        self.service = service


def fetch(service: str, method: str, path: str, *, json=None, params=None) -> requests.Response:
    """A call to an inner service as the visitor; ServiceDown when it cannot answer."""
    try:
        answer = call(service, method, path, current_caller(), json=json, params=params)
    except requests.RequestException as exc:
        raise ServiceDown(service) from exc
    if answer.status_code >= 500:
        raise ServiceDown(service)
    return answer


def try_fetch(service: str, method: str, path: str, **kwargs) -> requests.Response | None:
    """Like fetch, for parts of a page that can be left out: None when the service is down."""
    try:
        return fetch(service, method, path, **kwargs)
    except ServiceDown:
        return None


def checked_id(proposal_id: str) -> str:
    if not _ID.match(proposal_id):
        abort(404)
    return proposal_id


def processes() -> list[dict]:
    answer = fetch("proposals", "GET", "/api/processes")
    return answer.json() if answer.status_code == 200 else []


def themes_of(process_list: list[dict]) -> list[str]:
    seen: list[str] = []
    for process in process_list:
        for theme in process.get("themes") or {}:
            if theme not in seen:
                seen.append(theme)
    return seen


# --- template helpers ----------------------------------------------------------------------

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
    return format_datetime(moment, fmt, tzinfo=LJUBLJANA, locale=current_language())


@bp.app_template_filter("iso_datetime")
def iso_datetime(value) -> str:
    moment = _as_datetime(value)
    return moment.astimezone(LJUBLJANA).isoformat() if moment else ""


@bp.app_template_filter("paragraphs")
def paragraphs(text: str | None) -> list[list[str]]:
    """Plain text (the service strips markup and escapes entities) as paragraphs of lines."""
    text = html.unescape(text or "").replace("\r\n", "\n").strip()
    return [block.split("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]


def language_links() -> list[dict]:
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return [{"code": code, "name": autonym(code), "current": code == current_language(),
             "href": request.path + "?" + urlencode(pairs + [("lang", code)])}
            for code in PAGE_LANGUAGES]


@bp.context_processor
def page_context():
    caller = current_caller()
    return {"caller": caller, "signed_in": caller.id != ANONYMOUS, "user_email": session.get("email"),
            "current_lang": current_language(), "language_links": language_links(),
            "csrf_token": csrf_token, "label": label, "localised": localised,
            "municipality_name": MUNICIPALITIES.get(caller.municipality, caller.municipality)}


def render(template: str, code: int = 200, /, **context):
    return render_template(template, **context), code


# --- errors as pages -----------------------------------------------------------------------

ERROR_TEXT = {
    400: (N_("The request could not be handled"), None),
    403: (N_("Not allowed"), N_("You are not allowed to see this page.")),
    404: (N_("Page not found"), N_("The page or proposal you are looking for does not exist or is not "
                                    "public. Check the address, or go to the list of proposals.")),
    405: (N_("Not allowed"), N_("This page cannot be used in this way.")),
    413: (N_("Too much data"), N_("What you sent is too long. Shorten it and try again.")),
}


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    code = error.code or 500
    title, text = ERROR_TEXT.get(code, (N_("Something went wrong"), N_(
        "The page could not be shown. Please try again in a moment.")))
    if code == 400 and error.description != type(error).description:
        message = error.description  # already translated where it was raised
    else:
        message = _(text or N_("The request could not be handled. Go back, reload the page and try again."))
    return render("error.html", code, title=_(title), message=message)


@bp.errorhandler(ServiceDown)
def service_down(error: ServiceDown):
    return render("error.html", 503, title=_("Temporarily unavailable"),
                  message=_("Part of the platform is not reachable right now. Please try again in a moment."))


# --- pages: proposals ----------------------------------------------------------------------

def _positive_int(value, default: int = 1) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number >= 1 else default


@bp.get("/")
def index():
    caller = current_caller()
    page = _positive_int(request.args.get("page"))
    theme = (request.args.get("theme") or "").strip()[:64]
    status = "published"
    if caller.is_staff and request.args.get("status") in ("pending", "published", "rejected"):
        status = request.args["status"]
    process_list = processes()
    answer = fetch("proposals", "GET", "/api/proposals", params={
        "status": status, "theme": theme or None, "page": page, "per_page": PER_PAGE})
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in ERROR_TEXT else 400)
    listing = answer.json()
    total = listing.get("total", 0)
    pages = max(1, math.ceil(total / PER_PAGE))

    def page_url(number: int) -> str:
        args = {"page": number}
        if theme:
            args["theme"] = theme
        if status != "published":
            args["status"] = status
        return url_for("pages.index", **args)

    return render("index.html", proposals=listing.get("items", []), total=total, page=page, pages=pages,
                  theme=theme, themes=themes_of(process_list), status=status, page_url=page_url)


def _detail(proposal_id: str, status: int = 200, **extra):
    """The detail page of one proposal with its vote and forwarding, as the visitor may see it."""
    answer = fetch("proposals", "GET", f"/api/proposals/{proposal_id}")
    if answer.status_code != 200:
        abort(404 if answer.status_code in (403, 404) else answer.status_code)
    proposal = answer.json()
    caller = current_caller()
    vote, voting_unavailable, dossiers, forwarding_unavailable, institutions = None, False, None, False, {}
    if proposal.get("status") == "published":
        results = try_fetch("voting", "GET", f"/api/votes/{proposal_id}/results")
        voting_unavailable = results is None
        if results is not None and results.status_code == 200:
            vote = results.json()
        forwarded = (vote and vote.get("status") == "closed" and vote.get("outcome") == "adopted"
                     and proposal.get("competence") in ("national", "shared"))
        if forwarded:
            found = try_fetch("forwarding", "GET", f"/api/proposals/{proposal_id}/dossiers")
            forwarding_unavailable = found is None or found.status_code != 200
            if not forwarding_unavailable:
                dossiers = found.json().get("dossiers", [])
                directory = try_fetch("forwarding", "GET", "/api/institutions")
                if directory is not None and directory.status_code == 200:
                    institutions = {i["id"]: i.get("name") for i in directory.json()}
    default_competence = proposal.get("competence") or "national"
    if caller.is_staff and proposal.get("status") == "pending":
        for process in processes():
            if process.get("id") == proposal.get("process_id"):
                default_competence = (process.get("themes") or {}).get(proposal.get("theme"), default_competence)
    context = {"proposal": proposal, "vote": vote, "voting_unavailable": voting_unavailable,
               "dossiers": dossiers, "forwarding_unavailable": forwarding_unavailable,
               "institutions": institutions, "choices": CHOICES,
               "competence_options": [(code, label("competence", code)) for code in COMPETENCES],
               "default_competence": default_competence, "errors": {}, "form": {}}
    context.update(extra)
    return render("proposal.html", status, **context)


@bp.get("/proposals/<proposal_id>")
def proposal(proposal_id):
    return _detail(checked_id(proposal_id))


def _back(proposal_id: str, anchor: str | None = None):
    return redirect(url_for("pages.proposal", proposal_id=proposal_id, _anchor=anchor))


@bp.post("/proposals/<proposal_id>/ballot")
@sign_in_required
def ballot(proposal_id):
    proposal_id = checked_id(proposal_id)
    choice = request.form.get("choice")
    if choice not in CHOICES:
        flash(_("Choose Yes, No or Abstain before you cast your vote."), "error")
        return _back(proposal_id, "vote")
    answer = fetch("voting", "PUT", f"/api/votes/{proposal_id}/ballot", json={"choice": choice})
    if answer.status_code == 200:
        if answer.json().get("changed"):
            flash(_("Your vote was changed to “%(choice)s”. You can change it again until voting closes.",
                    choice=label("choice", choice)), "success")
        else:
            flash(_("Your vote “%(choice)s” was recorded. You can change it until voting closes.",
                    choice=label("choice", choice)), "success")
    else:
        flash(refusal(answer, on_403=_("Only residents of the municipality can vote."),
                      on_404=_("This proposal is not open for voting."),
                      on_409=_("Voting on this proposal is not open.")), "error")
    return _back(proposal_id)


@bp.post("/proposals/<proposal_id>/moderation")
@sign_in_required
def moderate(proposal_id):
    proposal_id = checked_id(proposal_id)
    decision = request.form.get("decision")
    if decision == "approve":
        data = {"decision": decision, "competence": request.form.get("competence") or None}
    elif decision == "reject":
        data = {"decision": decision, "reason": (request.form.get("reason") or "").strip() or None}
    else:
        abort(400, description=_("Choose whether to approve or reject the proposal."))
    answer = fetch("proposals", "POST", f"/api/proposals/{proposal_id}/moderation", json=data)
    if answer.status_code == 200:
        if decision == "approve":
            flash(_("The proposal was approved and published (competence: %(competence)s). "
                    "Voting can be opened as soon as it appears below.",
                    competence=label("competence", data["competence"])), "success")
        else:
            flash(_("The proposal was rejected. The author will be told the reason."), "success")
        return _back(proposal_id)
    errors = problem_errors(answer)
    if answer.status_code == 422 and errors:
        return _detail(proposal_id, 422, errors=errors, form={"reason": data.get("reason") or "",
                                                               "competence": data.get("competence")})
    flash(refusal(answer, on_403=_("Only municipal staff can moderate proposals.")), "error")
    return _back(proposal_id)


def _voting(proposal_id: str, action: str):
    proposal_id = checked_id(proposal_id)
    answer = fetch("voting", "POST", f"/api/votes/{proposal_id}/{action}")
    if answer.status_code == 200:
        flash(_("Voting is now open. Residents can cast their votes.") if action == "open"
              else _("Voting is closed. The results are shown below."), "success")
    else:
        flash(refusal(answer, on_403=_("Only municipal staff can open and close voting."),
                      on_404=_("Voting does not know this proposal yet. Reload the page in a moment.")),
              "error")
    return _back(proposal_id, "voting")


@bp.post("/proposals/<proposal_id>/voting/open")
@sign_in_required
def open_voting(proposal_id):
    return _voting(proposal_id, "open")


@bp.post("/proposals/<proposal_id>/voting/close")
@sign_in_required
def close_voting(proposal_id):
    return _voting(proposal_id, "close")


PROPOSAL_FIELDS = ("process_id", "theme", "title", "summary", "body", "language")


@bp.route("/proposals/new", methods=["GET", "POST"])
@sign_in_required
def new_proposal():
    process_list = processes()
    lang = current_language()
    form = {"process_id": process_list[0]["id"] if process_list else "", "theme": "", "title": "",
            "summary": "", "body": "", "language": lang if lang in PROPOSAL_LANGUAGES else DEFAULT_LANGUAGE}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        form.update({name: (request.form.get(name) or "").strip() for name in PROPOSAL_FIELDS})
        # An empty field is a missing one ("required"), not a too-short one.
        answer = fetch("proposals", "POST", "/api/proposals", json={k: v for k, v in form.items() if v})
        if answer.status_code == 201:
            created = answer.json()
            flash(_("Thank you! Your proposal was submitted. Municipal staff will review it before it is "
                    "published."), "success")
            return redirect(url_for("pages.proposal", proposal_id=created["id"]))
        errors = in_order(problem_errors(answer), PROPOSAL_FIELDS)
        if not errors:
            errors = {"_form": [refusal(answer, on_403=_("Your account cannot submit proposals."))]}
        status = answer.status_code if answer.status_code in (400, 403, 404, 409, 413, 422) else 422
    return render("new.html", status, form=form, errors=errors,
                  process_options=[(p["id"], localised(p.get("title"), p["id"])) for p in process_list],
                  theme_options=[(code, label("theme", code)) for code in themes_of(process_list)],
                  language_options=[(code, autonym(code), code) for code in PROPOSAL_LANGUAGES])


# --- pages: accounts -----------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.values.get("next"))
    form = {"email": ""}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        form["email"] = (request.form.get("email") or "").strip()
        password = request.form.get("password") or ""
        if not form["email"]:
            errors["email"] = [_("Enter your e-mail address.")]
        if not password:
            errors["password"] = [_("Enter your password.")]
        if not errors:
            try:
                result = handlers.login(form["email"], password)
            except DomainError:
                errors["_form"] = [_("The e-mail address or the password is wrong.")]
                status = 401
            else:
                _sign_in(result)
                flash(_("You are signed in."), "success")
                return redirect(next_url)
        else:
            status = 422
    return render("login.html", status, form=form, errors=errors, next_url=next_url)


REGISTER_FIELDS = ("email", "password", "municipality", "language")


@bp.route("/register", methods=["GET", "POST"])
def register():
    next_url = safe_next(request.values.get("next"))
    lang = current_language()
    form = {"email": "", "municipality": DEFAULT_MUNICIPALITY,
            "language": lang if lang in LANGUAGES else DEFAULT_LANGUAGE}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        form.update({name: (request.form.get(name) or "").strip() for name in ("email", "municipality", "language")})
        data = {**form, "password": request.form.get("password") or ""}
        schema = RegisterIn()
        errors = in_order(field_errors(schema.validate(data)), REGISTER_FIELDS)
        if not errors:
            try:
                handlers.register(schema.load(data))
                result = handlers.login(data["email"], data["password"])
            except DomainError as exc:
                errors = field_errors((exc.errors or {}).get("json")) or {"_form": [
                    _("The account could not be created. Please check the form.")]}
            else:
                _sign_in(result)
                flash(_("Welcome! Your account was created and you are signed in."), "success")
                return redirect(next_url)
        status = 422
    return render("register.html", status, form=form, errors=errors, next_url=next_url,
                  municipality_options=list(MUNICIPALITIES.items()),
                  language_options=[(code, autonym(code), code) for code in LANGUAGES])


@bp.post("/logout")
def logout():
    _forget_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("pages.index"))


# --- wiring --------------------------------------------------------------------------------

def configure(app: Flask) -> None:
    """Settings the pages need before Flask-Babel and the blueprint are registered."""
    if not app.secret_key:
        app.secret_key = get_settings().user_secret
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LANGUAGE
    app.config["BABEL_DEFAULT_TIMEZONE"] = TIMEZONE
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)  # absolute: the one catalogue
    try:
        compile_catalogues()
    except OSError as exc:  # e.g. a read-only install: serve what is compiled (or English) rather than crash
        log.error("cannot compile the translation catalogues in %s: %s", TRANSLATIONS, exc)
