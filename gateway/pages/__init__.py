"""Server-rendered HTML pages of the gateway: no JavaScript needed.

The pages are a second face of the same platform as /api/v1: they call the inner
services through `gateway.inner` (the operations of `gateway.routes`) with the visitor as Caller (the signed-in
person from the user token kept in the session cookie, otherwise an anonymous reader
of Idrija), and they sign people in through `gateway.handlers` like the API does.

Every POST carries a per-session CSRF token in a hidden field (400 without it).
Every user-facing string goes through Flask-Babel's gettext; the catalogue is the
platform's one catalogue in services/translations (see services/i18n.py).

The modules, each importing only those above it:
  blueprint  the Blueprint `bp` (templates in gateway/templates) and shared settings
  session    language, signed-in visitor, CSRF, the request hooks
  labels     labels of the services' codes and their errors, translated
  calls      calls to the inner services as the visitor
  render     template filters, page context, errors as pages
  landing    the list of municipalities at /, each one's colours, old addresses
  voting     ballots (confirmed, then cast; the receipt shown once), eligibility, receipt checks
  approval   a process's approval ballots: choose up to N measures, confirm, the ranking
  proposals  the proposal pages under /m/<municipality>/;  accounts  sign in, register, sign out
  processes  the municipality's participatory processes: the list, one process with its themes and phases
  me         one's own pages at /me: the inbox;  me_account  settings and password
  me_notifications  e-mail settings per kind, and where a mail's unsubscribe link leads
  me_privacy  downloading one's data, deleting one's account
  password_reset  a forgotten password: the link by e-mail, the new password
  staff      the staff console's frame under /m/<municipality>/staff: the guard, the sections, the dashboard
  staff_*    its sections: moderation, community (reported comments, blocks, audit), processes, votes,
             register (eligibility), forwarding, abuse (blocked networks and domains, bursts undone)
"""
from __future__ import annotations

import logging

from flask import Flask

from gateway.pages import accounts, landing, processes, proposals, render, voting  # noqa: F401  (register their routes and hooks)
from gateway.pages import approval  # noqa: F401  (approval ballots)
from gateway.pages import operator, operator_municipalities  # noqa: F401  (the operators' pages)
from gateway.pages import me, me_account, me_notifications, me_privacy, password_reset  # noqa: F401  (one's own)
from gateway.pages import staff, staff_community, staff_forwarding, staff_moderation  # noqa: F401  (staff console)
from gateway.pages import staff_abuse, staff_processes, staff_register, staff_votes  # noqa: F401  (staff console)
from gateway.pages import tracker, tracker_institutions  # noqa: F401  (the public tracker: /tracker, groups, figures)
from gateway.pages import portal, portal_reply, portal_verify  # noqa: F401  (the institution portal)
from gateway.pages import opendata  # noqa: F401  (the open-data page, national)
from gateway.pages import accessibility  # noqa: F401  (the accessibility statement, national)
from gateway.pages import operator_webhooks  # noqa: F401  (operators: third parties' webhooks)
from gateway.pages.blueprint import TIMEZONE, bp
from gateway.pages.render import unrouted_error
from gateway.pages.session import select_locale
from services.i18n import DEFAULT_LANGUAGE, TRANSLATIONS, compile_catalogues
from services.settings import get_settings

__all__ = ["bp", "configure", "select_locale", "unrouted_error"]

log = logging.getLogger(__name__)


def configure(app: Flask) -> None:
    """Settings the pages need before Flask-Babel and the blueprint are registered."""
    if not app.secret_key:
        app.secret_key = get_settings().user_secret
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SECURE"] = get_settings().secure_cookies  # off on the local platform (http)
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LANGUAGE
    app.config["BABEL_DEFAULT_TIMEZONE"] = TIMEZONE
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)  # absolute: the one catalogue
    try:
        compile_catalogues()
    except OSError as exc:  # e.g. a read-only install: serve what is compiled (or English) rather than crash
        log.error("cannot compile the translation catalogues in %s: %s", TRANSLATIONS, exc)
