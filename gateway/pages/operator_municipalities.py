"""Pages of platform operators: the municipalities on the platform, add one, change one (the same
use cases as `civic municipality` and the API, `gateway.municipalities`)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway import abuse, branding, municipalities
from gateway.pages.blueprint import bp
from gateway.pages.labels import autonym, field_errors, in_order
from gateway.pages.render import render
from gateway.pages.session import current_caller, sign_in_required
from gateway.routes import BY_NAME
from services.errors import DomainError, NotFound
from services.i18n import LANGUAGES

FIELDS = ("code", "name", "languages", "default_language", "timezone", "accent_colour", "coat_of_arms", "limits")


def _operator() -> None:
    BY_NAME["create_municipality"].access.check(current_caller())  # a 403 page for anyone else


def _form_data() -> dict:
    data = {name: (request.form.get(name) or "").strip() for name in ("code", "name", "default_language",
                                                                       "timezone", "accent_colour")}
    data["languages"] = [code for code in request.form.getlist("languages") if code in LANGUAGES]
    data["limits"] = _limits_typed()
    upload = request.files.get("coat_of_arms")
    if upload and upload.filename:
        data["coat_of_arms"] = upload.read(branding.MAX_IMAGE_BYTES + 1)
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def _limits_typed() -> dict | None:
    """The abuse limits typed: {kind: {"per_account": n, "per_address": n}}, empty ones left out
    (the platform's); a value that is no whole number of 0 or more is an error of the fieldset."""
    limits: dict = {}
    for kind in abuse.KINDS:
        for who in ("per_account", "per_address"):
            typed = (request.form.get(f"limit-{kind}-{who}") or "").strip()
            if typed:
                if not typed.isdigit():
                    raise DomainError("Not a number.", errors={"json": {"limits": [
                        _("Each limit is a whole number of 0 or more, or empty.")]}})
                limits.setdefault(kind, {})[who] = int(typed)
    return limits


def _limit_rows() -> list:
    labels = {"registrations": _("Registrations"), "proposals": _("Proposals"), "comments": _("Comments"),
              "reports": _("Reports"), "supports": _("Supports"), "ballots": _("Ballots"),
              "verifications": _("Verifications")}
    return [(kind, labels[kind], platform) for kind, platform in abuse.defaults().items()]


def _page(template_form: dict, errors: dict, status: int, editing: str | None = None):
    return render("operator_municipality.html", status, form=template_form, errors=errors, editing=editing,
                  limit_rows=_limit_rows(), language_options=[(code, autonym(code), code) for code in LANGUAGES])


@bp.get("/operator/municipalities")
@sign_in_required
def operator_municipalities():
    _operator()
    return render("operator_municipalities.html", choices=list(municipalities.all_municipalities().values()))


@bp.route("/operator/municipalities/new", methods=["GET", "POST"])
@sign_in_required
def operator_new_municipality():
    _operator()
    form = {"languages": ["sl", "en"], "default_language": "sl", "timezone": "Europe/Ljubljana",
            "accent_colour": branding.DEFAULT_ACCENT}
    if request.method == "GET":
        return _page(form, {}, 200)
    try:
        data = _form_data()
    except DomainError as exc:
        return _page({**form, **request.form.to_dict()}, field_errors(exc.errors["json"]), 422)
    form.update({k: v for k, v in data.items() if k != "coat_of_arms"})
    try:
        created = municipalities.create(current_caller(), data)
    except DomainError as exc:
        errors = in_order(field_errors((exc.errors or {}).get("json")) or {"_form": [exc.message]}, FIELDS)
        return _page(form, errors, 409 if exc.code == "duplicate" else 422)
    flash(_("The municipality %(name)s was added. Its pages are at %(path)s.", name=created.name,
            path=url_for("pages.index", municipality=created.code)), "success")
    return redirect(url_for("pages.operator_municipalities"))


@bp.route("/operator/municipalities/<code>", methods=["GET", "POST"])
@sign_in_required
def operator_edit_municipality(code):
    _operator()
    try:
        found = municipalities.get(code)
    except NotFound:
        abort(404)
    form = {"code": found.code, "name": found.name, "languages": found.languages,
            "default_language": found.default_language, "timezone": found.timezone,
            "accent_colour": found.accent_colour, "limits": found.limits or {}}
    if request.method == "GET":
        return _page(form, {}, 200, editing=code)
    try:
        data = {k: v for k, v in _form_data().items() if k != "code"}
    except DomainError as exc:
        return _page(form, field_errors(exc.errors["json"]), 422, editing=code)
    data.setdefault("limits", {})  # every limit emptied: the platform's again
    form.update({k: v for k, v in data.items() if k != "coat_of_arms"})
    try:
        municipalities.update(current_caller(), code, data)
    except DomainError as exc:
        errors = in_order(field_errors((exc.errors or {}).get("json")) or {"_form": [exc.message]}, FIELDS)
        return _page(form, errors, 422, editing=code)
    flash(_("The municipality %(name)s was changed.", name=form["name"]), "success")
    return redirect(url_for("pages.operator_municipalities"))
