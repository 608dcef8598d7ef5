"""Pages of platform operators for third parties' webhooks (a newsroom, a watchdog): the
subscriptions with their delivery counts, subscribing an address (its signing secret shown this once),
one subscription with its deliveries, and disabling or enabling it again. The same operations as
/api/v1/webhooks (notifications.webhooks delivers them)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.municipalities import all_municipalities
from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import in_order, problem_errors, refusal
from gateway.pages.render import render
from gateway.pages.session import sign_in_required

EVENTS = {"proposal.published": N_("A proposal is published"), "vote.closed": N_("A vote is closed"),
          "dossier.forwarded": N_("A conclusion is forwarded to an institution"),
          "reply.published": N_("An institution's reply is published")}
STATUSES = {"pending": N_("Waiting to be sent"), "failed": N_("Failed, tried again"),
            "delivered": N_("Delivered"), "abandoned": N_("Given up")}
FIELDS = ("url", "events", "municipality", "description")


def _page_number() -> int:
    try:
        return min(max(int(request.args.get("page", 1)), 1), 10000)
    except ValueError:
        return 1


def _list_page(form: dict, errors: dict, status: int = 200, created: dict | None = None):
    answer = fetch("list_webhooks", params={"page": _page_number(), "per_page": 20})
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in (401, 403) else 503)
    listing = answer.json()
    return render("operator_webhooks.html", status, listing=listing, form=form, errors=errors, created=created,
                  events={code: _(text) for code, text in EVENTS.items()},
                  municipality_options=[(m.code, m.name) for m in all_municipalities().values()],
                  pages=max(1, -(-listing.get("total", 0) // 20)), page=listing.get("page", 1),
                  page_url=lambda number: url_for("pages.operator_webhooks", page=number))


@bp.route("/operator/webhooks", methods=["GET", "POST"])
@sign_in_required
def operator_webhooks():
    if request.method == "GET":
        return _list_page({"events": list(EVENTS)}, {})
    form = {"url": (request.form.get("url") or "").strip(), "description": (request.form.get("description") or "").strip(),
            "events": [code for code in request.form.getlist("events") if code in EVENTS],
            "municipality": request.form.get("municipality") or None}
    answer = fetch("create_webhook", json=form)
    if answer.status_code == 201:
        flash(_("The address was subscribed. Copy its signing secret now: it is not shown again."), "success")
        return _list_page({"events": list(EVENTS)}, {}, 201, created=answer.json())
    errors = in_order(problem_errors(answer), FIELDS)
    if answer.status_code == 422 and errors:
        return _list_page(form, errors, 422)
    flash(refusal(answer), "error")
    return redirect(url_for("pages.operator_webhooks"))


@bp.get("/operator/webhooks/<subscription_id>")
@sign_in_required
def operator_webhook(subscription_id):
    subscription_id = checked_id(subscription_id)
    found = fetch("get_webhook", subscription_id=subscription_id)
    if found.status_code != 200:
        abort(found.status_code if found.status_code in (403, 404) else 503)
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    deliveries = fetch("webhook_deliveries", subscription_id=subscription_id,
                       params={"page": _page_number(), "per_page": 20, "status": status}).json()
    return render("operator_webhook.html", subscription=found.json(), deliveries=deliveries, status=status,
                  events={code: _(text) for code, text in EVENTS.items()},
                  statuses={code: _(text) for code, text in STATUSES.items()},
                  pages=max(1, -(-deliveries.get("total", 0) // 20)), page=deliveries.get("page", 1),
                  page_url=lambda number: url_for("pages.operator_webhook", subscription_id=subscription_id,
                                                  status=status, page=number))


@bp.post("/operator/webhooks/<subscription_id>/<action>")
@sign_in_required
def operator_webhook_switch(subscription_id, action):
    subscription_id = checked_id(subscription_id)
    if action not in ("disable", "enable"):
        abort(404)
    answer = fetch(f"{action}_webhook", subscription_id=subscription_id)
    if answer.status_code == 200:
        flash(_("Deliveries to this address are stopped. You can enable it again at any time.") if action == "disable"
              else _("Deliveries to this address start again."), "success")
    else:
        flash(refusal(answer), "error")
    return redirect(url_for("pages.operator_webhook", subscription_id=subscription_id))
