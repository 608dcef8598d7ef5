"""The visitor's session: language, signed-in person, CSRF token, and the request hooks."""
from __future__ import annotations

import hmac
import secrets
import time
from functools import wraps

import jwt
from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from gateway import erasure, revocation
from gateway.domain import ANONYMOUS
from gateway.pages.blueprint import DEFAULT_MUNICIPALITY, PAGE_LANGUAGES, bp
from services.auth import Caller
from services.errors import DomainError, Unauthorized
from services.i18n import DEFAULT_LANGUAGE
from services.settings import get_settings


def select_locale() -> str:
    """?lang=xx (remembered in the session) > earlier choice > Accept-Language > the municipality's
    default language > Slovene."""
    asked = request.args.get("lang")
    if asked in PAGE_LANGUAGES:
        if session.get("lang") != asked:
            session["lang"] = asked
        return asked
    if session.get("lang") in PAGE_LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(PAGE_LANGUAGES) or municipal_default() or DEFAULT_LANGUAGE


def municipal_default() -> str | None:
    """The default language of the municipality being viewed, where the pages speak it."""
    from gateway.municipalities import all_municipalities

    found = all_municipalities().get(g.get("municipality") or session.get("municipality") or "")
    return found.default_language if found and found.default_language in PAGE_LANGUAGES else None


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def current_caller() -> Caller:
    """The signed-in person from the session's user token, else an anonymous reader."""
    if "caller" not in g:
        caller = None
        token = session.get("token")
        if token:
            try:
                caller = revocation.verify(token)  # refused after sign-out or a password change
                if erasure.is_closed(caller.id):
                    raise Unauthorized("This account has been closed.")
                if half_spent(token):  # a sliding session: whoever keeps using the pages is not timed out
                    session["token"] = revocation.refreshed(token, caller)
            except DomainError:
                forget_user()
                flash(_("Your session has expired. Please sign in again."), "info")
        g.caller = caller or Caller(ANONYMOUS, ANONYMOUS, DEFAULT_MUNICIPALITY)
    return g.caller


def half_spent(token: str) -> bool:
    """Is the (verified) token past half its lifetime?"""
    issued = jwt.decode(token, options={"verify_signature": False}).get("iat", 0)
    return time.time() > issued + get_settings().user_token_ttl / 2


def home_municipality() -> str:
    """Where the visitor belongs: the municipality being viewed, the signed-in person's own, the last
    one visited, or the first one on the platform."""
    from gateway.municipalities import all_municipalities

    known = all_municipalities()
    for code in (g.get("municipality"), current_caller().municipality, session.get("municipality")):
        if code in known:
            return code
    return next(iter(known), DEFAULT_MUNICIPALITY)


def acting_caller() -> Caller:
    """The visitor as they act in the municipality being viewed: themselves in their own; in another
    one, an anonymous reader (staff of one municipality are no staff of the next); operators read any."""
    caller, here = current_caller(), g.get("municipality") or home_municipality()
    if caller.role in (ANONYMOUS, "operator"):
        return Caller(caller.id, caller.role, here)
    return caller if caller.municipality == here else Caller(ANONYMOUS, ANONYMOUS, here)


def signed_in() -> bool:
    return current_caller().id != ANONYMOUS


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def forget_user() -> None:
    for key in ("token", "email"):
        session.pop(key, None)
    session["csrf"] = secrets.token_urlsafe(32)
    g.pop("caller", None)


def sign_in(result: dict) -> None:
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


@bp.url_value_preprocessor
def pull_municipality(endpoint, values):
    """/m/<municipality>/...: the municipality every page under it is about (404 when unknown)."""
    g.municipality = values.pop("municipality", None) if values else None


@bp.url_defaults
def add_municipality(endpoint, values):
    if "municipality" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "municipality"):
        values["municipality"] = home_municipality()


@bp.before_request
def known_municipality():
    from gateway.municipalities import exists

    if g.get("municipality"):
        if not exists(g.municipality):
            abort(404)
        session["municipality"] = g.municipality


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
    # The policy, nosniff, Referrer-Policy and HSTS: services.web_security, on every answer.
    response.vary.update(("Cookie", "Accept-Language"))
    if signed_in():
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response
