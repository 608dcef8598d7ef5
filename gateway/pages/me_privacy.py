"""Pages of one's data: /me/data says what the platform keeps and downloads it as JSON
(/me/data.json, the API's GET /me/data); /me/delete explains what closing the account does and
keeps, then closes it once the password confirms (the API's POST /me/deletion). National pages."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway import erasure, export
from gateway.handlers import TooManyAttempts
from gateway.pages.blueprint import bp
from gateway.pages.labels import field_errors
from gateway.pages.render import render
from gateway.pages.session import current_caller, forget_user, sign_in_required
from gateway.routes import BY_NAME
from gateway.schemas import DeletionIn
from services.errors import DomainError


@bp.get("/me/data")
@sign_in_required
def my_data():
    return render("me_data.html")


@bp.get("/me/data.json")
@sign_in_required
def my_data_download():
    return export.download(current_caller())


@bp.route("/me/delete", methods=["GET", "POST"])
@sign_in_required
def delete_account():
    """What closing the account does and keeps; the password confirms it."""
    may = BY_NAME["delete_account"].access.allows(current_caller().role)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST" and may:
        status = 422
        data = {"password": request.form.get("password") or ""}
        errors = field_errors(DeletionIn().validate(data))
        if not errors:
            try:
                erasure.delete_account(current_caller(), data["password"])
            except TooManyAttempts as exc:
                minutes, status = max(1, round(exc.retry_after / 60)), 429
                errors = {"_form": [ngettext(
                    "Too many wrong passwords for this account. Try again in %(num)d minute.",
                    "Too many wrong passwords for this account. Try again in %(num)d minutes.", minutes)]}
            except DomainError as exc:
                errors = field_errors((exc.errors or {}).get("json")) or {"_form": [
                    _("The account could not be closed. Please try again.")]}
            else:
                forget_user()
                flash(_("Your account is closed. Thank you for taking part."), "success")
                return redirect(url_for("pages.landing"))
    return render("me_delete.html", status, may=may, errors=errors)
