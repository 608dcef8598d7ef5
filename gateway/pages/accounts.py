"""Pages of accounts: sign in, register, sign out (through gateway.handlers, like the API)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway import handlers, revocation
from gateway.domain import ANONYMOUS
from gateway.municipalities import all_municipalities
from gateway.pages.blueprint import bp
from gateway.pages.labels import autonym, field_errors, in_order
from gateway.pages.render import BLOCKED, render
from gateway.pages.session import (current_caller, current_language, forget_user, home_municipality, safe_next,
                                   sign_in)
from gateway.schemas import RegisterIn
from services.errors import DomainError
from services.i18n import DEFAULT_LANGUAGE, LANGUAGES


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
            except handlers.TooManyAttempts as exc:
                minutes = max(1, round(exc.retry_after / 60))
                errors["_form"] = [ngettext(
                    "Too many failed sign-ins from your connection. Try again in %(num)d minute.",
                    "Too many failed sign-ins from your connection. Try again in %(num)d minutes.", minutes)]
                page = render("login.html", 429, form=form, errors=errors, next_url=next_url)
                return page[0], 429, {"Retry-After": str(int(exc.retry_after))}
            except DomainError:
                errors["_form"] = [_("The e-mail address or the password is wrong.")]
                status = 401
            else:
                sign_in(result)
                flash(_("You are signed in."), "success")
                next_url = "/portal" if result["user"].role == "institution" and next_url in ("/", f"/m/{next_url[3:].split('/')[0]}/") else next_url  # noqa: E501  (an institution lands in its portal)
                return redirect(next_url)
        else:
            status = 422
    return render("login.html", status, form=form, errors=errors, next_url=next_url)


REGISTER_FIELDS = ("email", "password", "municipality", "language")


@bp.route("/register", methods=["GET", "POST"])
def register():
    next_url = safe_next(request.values.get("next"))
    lang = current_language()
    form = {"email": "", "municipality": home_municipality(),
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
                handlers.register(schema.load(data), client=request.remote_addr)
                result = handlers.login(data["email"], data["password"])
            except handlers.TooManyAttempts as exc:
                minutes = max(1, round(exc.retry_after / 60))
                errors = {"_form": [ngettext(
                    "Too many accounts were opened from your network. Try again in %(num)d minute.",
                    "Too many accounts were opened from your network. Try again in %(num)d minutes.", minutes)]}
                page = render("register.html", 429, form=form, errors=errors, next_url=next_url, **_options())
                return page[0], 429, {"Retry-After": str(int(exc.retry_after))}
            except DomainError as exc:
                errors = field_errors((exc.errors or {}).get("json")) or {"_form": [
                    _(BLOCKED) if exc.code == "blocked" else _("The account could not be created. Please check the form.")]}
            else:
                sign_in(result)
                flash(_("Welcome! Your account was created and you are signed in."), "success")
                return redirect(next_url)
        status = 422
    return render("register.html", status, form=form, errors=errors, next_url=next_url, **_options())


def _options() -> dict:
    return {"municipality_options": [(code, m.name) for code, m in all_municipalities().items()],
            "language_options": [(code, autonym(code), code) for code in LANGUAGES]}


@bp.post("/logout")
def logout():
    """Signs the person out here and everywhere: every session and token they hold is revoked."""
    caller = current_caller()
    if caller.id != ANONYMOUS:
        revocation.revoke(caller.id)
    forget_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("pages.index"))
