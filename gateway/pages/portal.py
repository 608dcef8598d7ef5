"""The institution portal: a dossier as a readable page, opened from the signed link of the dossier mail
(?token=) or by the institution's account, its PDF and signed JSON, acknowledging it with one click, and
an institution account's list of every dossier addressed to it across municipalities."""
from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.domain import ANONYMOUS
from gateway.inner import call_op
from gateway.municipalities import all_municipalities
from gateway.pages.blueprint import DEFAULT_MUNICIPALITY, N_, bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.conclusion import rules_in_words, said
from gateway.pages.labels import localised, refusal
from gateway.pages.proposals import theme_labeller
from gateway.pages.render import render
from gateway.pages.session import current_caller, sign_in_required
from services.auth import Caller

_TOKEN = re.compile(r"^[0-9a-f]{64}$")
PER_PAGE = 20
OPEN = ("sent", "dispatching", "failed")  # reached the institution, not yet acknowledged
FILTERS = {"sent": N_("Not yet acknowledged"), "acknowledged": N_("Acknowledged, reply due"),
           "replied": N_("Replied"), "overdue": N_("Reply overdue")}


MAX_FILES, MAX_FILE_BYTES = 3, 10 * 1024 * 1024  # forwarding.domain's limits, said on the form


def too_large_message() -> str:
    return ngettext("Each file can be at most %(size)s, and at most %(num)d file can be attached.",
                    "Each file can be at most %(size)s, and at most %(num)d files can be attached.", MAX_FILES,
                    size="10 MB")


def link_token() -> str | None:
    """The signed link's token, when the page was opened through it (a malformed one is no token)."""
    token = request.values.get("token") or None
    if token is not None and not _TOKEN.match(token):
        return "0" * 64  # refused by forwarding like any wrong token, without saying why
    return token


def portal_call(operation: str, *, json=None, **values):
    """A portal operation through the signed link (as whoever holds it: the token is the proof, even
    for a visitor signed in with another account) or, without one, as the signed-in account."""
    token = link_token()
    if token:
        holder = Caller(ANONYMOUS, ANONYMOUS, DEFAULT_MUNICIPALITY)
        return call_op(operation, holder, json=json, params={"token": token}, **values)
    return fetch(operation, json=json, **values)


def link_refused():
    """A wrong or foreign link, or a dossier that is not the account's: the same answer, telling nothing."""
    return render("error.html", 403, title=_("This link does not open a dossier"), message=_(
        "The link is not valid, or this dossier is not addressed to your institution. Open the link from "
        "the dossier e-mail as it was sent, or sign in with your institution's account."))


def load(dossier_id: str) -> dict | None:
    """The dossier as the link or the account may read it; None when refused (or unknown)."""
    answer = portal_call("portal_dossier", dossier_id=checked_id(dossier_id))
    if answer.status_code == 200 and answer.json().get("document"):
        return answer.json()
    if answer.status_code in (401, 403, 404, 422):
        return None
    abort(503)


def is_overdue(dossier: dict) -> bool:
    due = dossier.get("due_at")
    if not due or dossier.get("status") not in ("sent", "acknowledged"):
        return False
    moment = datetime.fromisoformat(due)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) < datetime.now(UTC)


def municipality_title(code: str) -> str:
    found = all_municipalities().get(code)
    return getattr(found, "name", None) or code


def with_token(endpoint: str, **values) -> str:
    token = link_token()
    return url_for(endpoint, **values, **({"token": token} if token else {}))


def dossier_view(dossier: dict, status: int = 200, **extra):
    document = dossier["document"]
    return render("portal_dossier.html", status, d=dossier, doc=document, vote=document.get("vote") or {},
                  deliberation=document.get("deliberation") or {}, overdue=is_overdue(dossier),
                  municipality_title=municipality_title(document["municipality"]),
                  institution_title=localised(document["institution"].get("name"), document["institution"]["id"]),
                  rules=rules_in_words((document.get("vote") or {}).get("rules")), said=said,
                  theme_label=theme_labeller(), with_token=with_token, can_acknowledge=dossier["status"] in OPEN,
                  can_reply=dossier["status"] in (*OPEN, "acknowledged"), **extra)


@bp.get("/portal/dossiers/<dossier_id>")
def portal_dossier_page(dossier_id):
    dossier = load(dossier_id)
    if dossier is None:
        return link_refused()
    errors = {"attachments": [too_large_message()]} if request.args.get("problem") == "too_large" else {}
    return dossier_view(dossier, form={"status": "", "text": "", "summary": "", "forwarded_to": ""}, errors=errors)


@bp.get("/portal/dossiers/<dossier_id>/pdf")
def portal_pdf(dossier_id):
    answer = portal_call("portal_dossier_pdf", dossier_id=checked_id(dossier_id))
    if answer.status_code != 200:
        return link_refused()
    return Response(answer.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="dossier-{dossier_id}.pdf"'})


@bp.get("/portal/dossiers/<dossier_id>/json")
def portal_json(dossier_id):
    """The signed dossier as sent (the same document, digest and signature as the mail's JSON file)."""
    dossier = load(dossier_id)
    if dossier is None:
        return link_refused()
    body = json.dumps({"dossier": dossier["document"], "digest": dossier["digest"],
                       "signature": {"alg": "Ed25519", "key_id": dossier["key_id"], "value": dossier["signature"]}},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="dossier-{dossier_id}.json"'})


@bp.post("/portal/dossiers/<dossier_id>/acknowledge")
def portal_acknowledge_page(dossier_id):
    answer = portal_call("portal_acknowledge", dossier_id=checked_id(dossier_id))
    if answer.status_code in (401, 403, 404):
        return link_refused()
    if answer.status_code == 200:
        flash(_("Receipt confirmed. Acknowledgement number: %(receipt)s.", receipt=answer.json().get("receipt")),
              "success")
    else:
        flash(refusal(answer), "error")
    return redirect(with_token("pages.portal_dossier_page", dossier_id=dossier_id), code=303)


def _page_number() -> int:
    try:
        return min(max(int(request.args.get("page", 1)), 1), 10000)
    except ValueError:
        return 1


@bp.get("/portal")
@sign_in_required
def portal_home():
    """An institution account's dossiers from every municipality, soonest due first."""
    if current_caller().role != "institution":
        return render("error.html", 403, title=_("Not allowed"), message=_(
            "The institution portal is for the accounts of national institutions. Dossiers are opened from "
            "the link in the dossier e-mail, or by signing in with the institution's account."))
    chosen = {"status": request.args.get("status") if request.args.get("status") in FILTERS else "",
              "municipality": request.args.get("municipality") if request.args.get("municipality")
              in all_municipalities() else ""}
    page = _page_number()
    answer = fetch("portal_dossiers", params={"status": chosen["status"] or None, "page": page,
                                              "municipality": chosen["municipality"] or None, "per_page": PER_PAGE})
    if answer.status_code == 403:
        listing = None
    elif answer.status_code == 200:
        listing = answer.json()
    else:
        abort(503)
    pages = max(1, math.ceil((listing or {}).get("total", 0) / PER_PAGE))

    def list_url(**changes) -> str:
        values = {**chosen, **changes}
        return url_for("pages.portal_home", **{k: v for k, v in values.items() if v})

    counts = (listing or {}).get("counts", {})
    return render("portal_dossiers.html", listing=listing, chosen=chosen, page=page, pages=pages,
                  page_url=lambda number: list_url(page=number), clear_url=url_for("pages.portal_home"),
                  status_options=[(code, f"{_(text)} ({counts.get(code, 0)})") for code, text in FILTERS.items()],
                  municipality_options=[(code, municipality_title(code))
                                        for code in (listing or {}).get("municipalities", [])],
                  municipality_title=municipality_title, theme_label=theme_labeller(), said=said)
