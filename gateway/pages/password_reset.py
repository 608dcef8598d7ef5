"""Pages of a forgotten password: /password-reset asks for the link by e-mail (the same answer
whether or not an account has the address), /password-reset/<token> chooses the new password with
it; through `gateway.resets`, the use cases of the API's two operations. National pages.

The token is a secret: its page is not cached and sends no Referer (the logs drop it too:
services.logs.redact)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway import resets
from gateway.handlers import TooManyAttempts
from gateway.pages.blueprint import bp
from gateway.pages.labels import field_errors
from gateway.pages.render import render
from gateway.schemas import ResetIn, ResetRequestIn
from services.errors import DomainError

SECRET_PAGE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.route("/password-reset", methods=["GET", "POST"])
def password_reset():
    """Ask for a link to choose a new password."""
    form = {"email": (request.form.get("email") or "").strip()}
    if request.method == "GET":
        return render("password_reset.html", form=form, errors={})
    errors = field_errors(ResetRequestIn().validate(form))
    if errors:
        return render("password_reset.html", 422, form=form, errors=errors)
    try:
        resets.request_reset(form["email"])
    except TooManyAttempts as exc:
        minutes = max(1, round(exc.retry_after / 60))
        errors = {"_form": [ngettext(
            "Too many links were asked for this e-mail address. Try again in %(num)d minute.",
            "Too many links were asked for this e-mail address. Try again in %(num)d minutes.", minutes)]}
        page = render("password_reset.html", 429, form=form, errors=errors)
        return page[0], 429, {"Retry-After": str(int(exc.retry_after))}
    flash(_("If an account has this e-mail address, we have sent a link to it. Open it within an hour to "
            "choose a new password. Nothing arrived? Check the spam folder, or ask again."), "success")
    return redirect(url_for("pages.password_reset"))


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def new_password(token):
    """Choose the new password with the link's token (it expires after an hour and works once)."""
    if ResetIn().validate({"token": token, "password": "x"}) or not resets.link_works(token):
        page = render("password_reset_new.html", 404, token=None, errors={})
        return page[0], 404, SECRET_PAGE
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        password = request.form.get("password") or ""
        errors = field_errors(ResetIn().validate({"token": token, "password": password}))
        if not errors:
            try:
                resets.reset_password(token, password)
            except DomainError as exc:
                errors = field_errors((exc.errors or {}).get("json"))
                if "token" in errors:  # used or expired meanwhile
                    page = render("password_reset_new.html", 404, token=None, errors={})
                    return page[0], 404, SECRET_PAGE
            else:
                flash(_("Your new password is set. Sign in with it."), "success")
                return redirect(url_for("pages.login"))
        status = 422
    page = render("password_reset_new.html", status, token=token, errors=errors)
    return page[0], status, SECRET_PAGE
