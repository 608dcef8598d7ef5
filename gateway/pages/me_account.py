"""Pages of one's own account: settings at /me/account (display name, language) and the password at
/me/password; through `gateway.profile`, the use cases of the API's GET/PATCH /me and
POST /me/password, which check the same rows. National pages, like the inbox."""
from __future__ import annotations

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway import profile
from gateway.handlers import TooManyAttempts
from gateway.pages.blueprint import bp
from gateway.pages.labels import autonym, field_errors, in_order, label
from gateway.pages.render import render
from gateway.pages.session import current_caller, sign_in_required
from gateway.schemas import AccountPatch, PasswordChangeIn
from services.errors import DomainError, NotFound
from services.i18n import LANGUAGES

SETTINGS_FIELDS = ("display_name", "language")
PASSWORD_FIELDS = ("current_password", "new_password")


def _own_account():
    try:
        return profile.account_of(current_caller())
    except NotFound:  # deleted meanwhile
        abort(404)


def _settings_page(account, form: dict, errors: dict, status: int = 200):
    return render("me_account.html", status, account=account, form=form, errors=errors,
                  role=label("role", account.role),
                  language_options=[(code, autonym(code), code) for code in LANGUAGES])


@bp.route("/me/account", methods=["GET", "POST"])
@sign_in_required
def account_settings():
    """The display name and the language of the pages and e-mails."""
    account = _own_account()
    form = {"display_name": account.display_name or "", "language": account.language}
    if request.method == "GET":
        return _settings_page(account, form, {})
    form = {name: (request.form.get(name) or "").strip() for name in SETTINGS_FIELDS}
    schema = AccountPatch()
    errors = in_order(field_errors(schema.validate(form)), SETTINGS_FIELDS)
    if errors:
        return _settings_page(account, form, errors, 422)
    try:
        changed = profile.update(current_caller(), schema.load(form))
    except DomainError as exc:
        errors = field_errors((exc.errors or {}).get("json")) or {"_form": [_("The settings could not be saved.")]}
        return _settings_page(account, form, errors, 422)
    session["lang"] = changed.language  # the pages follow at once, the mails once notifications hears it
    flash(_("Your settings were saved."), "success")
    return redirect(url_for("pages.account_settings"))


@bp.route("/me/password", methods=["GET", "POST"])
@sign_in_required
def change_password():
    """The current password, then a new one by the rules of registration."""
    errors: dict[str, list[str]] = {}
    if request.method == "GET":
        return render("me_password.html", errors=errors)
    data = {name: request.form.get(name) or "" for name in PASSWORD_FIELDS}
    errors = in_order(field_errors(PasswordChangeIn().validate(data)), PASSWORD_FIELDS)
    if not errors:
        try:
            changed = profile.change_password(current_caller(), data["current_password"], data["new_password"])
        except TooManyAttempts as exc:
            minutes = max(1, round(exc.retry_after / 60))
            errors = {"_form": [ngettext(
                "Too many wrong passwords for this account. Try again in %(num)d minute.",
                "Too many wrong passwords for this account. Try again in %(num)d minutes.", minutes)]}
            page = render("me_password.html", 429, errors=errors)
            return page[0], 429, {"Retry-After": str(int(exc.retry_after))}
        except DomainError as exc:
            errors = in_order(field_errors((exc.errors or {}).get("json")), PASSWORD_FIELDS) or {
                "_form": [_("The password could not be changed.")]}
        else:
            session["token"] = changed["token"]  # other sessions end; this one goes on
            flash(_("Your password was changed. Use the new one the next time you sign in."), "success")
            return redirect(url_for("pages.account_settings"))
    return render("me_password.html", 422, errors=errors)
