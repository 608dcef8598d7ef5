"""Pages of one's e-mails: /me/notifications chooses, per kind of notification, its e-mail at once,
in a daily digest or never (notifications' preferences, through the same rows as the API); and
/unsubscribe/<token>, where the link every such mail carries leads: it names the kind and turns it
off with one button, without signing in (a POST: mail scanners that open links change nothing).
National pages."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import fetch
from gateway.pages.labels import problem_of, refusal
from gateway.pages.me import has_inbox
from gateway.pages.render import render
from gateway.pages.session import current_language, sign_in_required

MODE_LABELS = {"immediately": N_("Immediately"), "daily": N_("Once a day, in a summary"), "never": N_("Never")}
GROUP_LABELS = {"author": N_("About your proposals"),
                "follower": N_("About proposals you supported, voted on or follow"),
                "staff": N_("For the municipality's staff")}
SECRET_PAGE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _kinds_by_group(kinds: list[dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for kind in kinds:
        groups.setdefault(kind["group"], []).append(kind)
    return [(_(GROUP_LABELS.get(group, group)), items) for group, items in groups.items()]


@bp.route("/me/notifications", methods=["GET", "POST"])
@sign_in_required
def notification_settings():
    """One choice per kind the account receives; saved together."""
    params = {"lang": current_language()}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST" and has_inbox():
        current = fetch("notification_preferences", params=params)
        known = [k["kind"] for k in current.json()["kinds"]] if current.status_code == 200 else []
        modes = {kind: request.form.get(kind) for kind in known if request.form.get(kind)}
        answer = fetch("set_notification_preferences", params=params, json={"modes": modes})
        if answer.status_code == 200:
            flash(_("Your e-mail settings were saved."), "success")
            return redirect(url_for("pages.notification_settings"))
        status = answer.status_code if 400 <= answer.status_code < 500 else 422
        wrong = ((problem_of(answer).get("errors") or {}).get("json") or {}).get("modes") or {}
        errors = {kind: [_("Choose one of the offered options.")] for kind in wrong} or {
            "_form": [refusal(answer)]}
    found = fetch("notification_preferences", params=params) if has_inbox() else None
    kinds = found.json()["kinds"] if found is not None and found.status_code == 200 else []
    if request.method == "POST":  # show what was chosen, not what is stored
        kinds = [{**k, "mode": request.form.get(k["kind"], k["mode"])} for k in kinds]
    return render("me_notifications.html", status, groups=_kinds_by_group(kinds), errors=errors,
                  modes=[(mode, _(text)) for mode, text in MODE_LABELS.items()])


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """GET names what the link turns off; POST turns it off, then shows that it is."""
    if len(token) > 128:
        abort(404)
    params = {"lang": current_language()}
    if request.method == "POST":
        answer = fetch("unsubscribe", token=token, params=params)
        if answer.status_code == 200:
            flash(_("Done: you will get no more e-mails about “%(subject)s”.", subject=answer.json()["subject"]),
                  "success")
            return redirect(url_for("pages.unsubscribe", token=token))
    else:
        answer = fetch("unsubscribe_link", token=token, params=params)
    found = answer.json() if answer.status_code == 200 else None
    page = render("unsubscribe.html", 200 if found else 404, found=found, token=token)
    return page[0], page[1], SECRET_PAGE
