"""The municipality's dossiers for its staff: the list (filtered by status, institution, channel, a
conclusion or recent replies, sorted and paged), one dossier with its timeline and the actions its
state allows, and its signed PDF and JSON as downloads."""
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from flask import Response, abort, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.conclusion import said
from gateway.pages.proposals import theme_labeller
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_forwarding_common import (
    FILTER_ORDER,
    STEP_EXTRA,
    channel_word,
    directory,
    institution_name,
    needed,
    status_word,
    tally_words,
)

PER_PAGE = 20
CHANNELS = ("webhook", "email", "manual")


def _page_number() -> int:
    try:
        return min(max(int(request.args.get("page", 1)), 1), 10000)
    except ValueError:
        return 1


def sort_words() -> dict[str, str]:
    return {"newest": _("Newest first"), "oldest": _("Oldest first"), "due": _("Reply due soonest")}


@bp.get("/m/<municipality>/staff/forwarding/dossiers")
@staff_only
def staff_forwarding_dossiers():
    institutions = directory()
    args = request.args
    chosen = {"status": args.get("status") if args.get("status") in FILTER_ORDER else "",
              "institution": args.get("institution") if args.get("institution") in institutions else "",
              "channel": args.get("channel") if args.get("channel") in CHANNELS else "",
              "proposal": args.get("proposal") if checked_id_or_none(args.get("proposal")) else "",
              "replied_within": args.get("replied_within") if args.get("replied_within") in ("7", "30") else "",
              "sort": args.get("sort") if args.get("sort") in sort_words() else "newest"}
    page = _page_number()
    since = (datetime.now(UTC) - timedelta(days=int(chosen["replied_within"]))).isoformat() \
        if chosen["replied_within"] else None
    listing = needed(fetch("list_dossiers", params={
        "status": chosen["status"] or None, "institution_id": chosen["institution"] or None,
        "channel": chosen["channel"] or None, "proposal_id": chosen["proposal"] or None,
        "replied_since": since, "sort": chosen["sort"], "page": page, "per_page": PER_PAGE}))
    pages = max(1, math.ceil(listing["total"] / PER_PAGE))

    def list_url(**changes) -> str:
        values = {**{k: v for k, v in chosen.items() if v and not (k == "sort" and v == "newest")}, **changes}
        return url_for("pages.staff_forwarding_dossiers", **{k: v for k, v in values.items() if v})

    counts = listing["counts"]
    return render("staff_forwarding_dossiers.html", listing=listing, chosen=chosen, page=page, pages=pages,
                  page_url=lambda number: list_url(page=number), clear_url=url_for("pages.staff_forwarding_dossiers"),
                  status_options=[(code, f"{status_word(code)} ({counts.get(code, 0)})") for code in FILTER_ORDER],
                  institution_options=sorted(((code, institution_name(institutions, code)) for code in institutions),
                                             key=lambda pair: pair[1]),
                  channel_options=[(code, channel_word(code)) for code in CHANNELS],
                  sort_options=list(sort_words().items()), status_word=status_word, channel_word=channel_word,
                  name_of=lambda code: institution_name(institutions, code))


def checked_id_or_none(value: str | None) -> bool:
    return bool(value) and value.replace("-", "").replace("_", "").isalnum() and len(value) <= 64


def dossier_page(dossier_id: str, status: int = 200, **extra):
    """One dossier as staff see it (shared with the action pages, which re-render it)."""
    dossier = needed(fetch("get_dossier", dossier_id=dossier_id))
    institutions = directory()
    return render("staff_forwarding_dossier.html", status, dossier=dossier,
                  institution=institutions.get(dossier["institution_id"]) or {},
                  institution_title=institution_name(institutions, dossier["institution_id"]),
                  status_word=status_word, channel_word=channel_word, said=said, step_details=step_details,
                  tally_words=tally_words, theme_label=theme_labeller(), **extra)


USER_TEXT = ("note",)  # what staff typed (how a dossier was sent): isolated, it reads right in any direction


def step_details(entry: dict) -> list[str]:
    """What a timeline entry says beyond its step, as short phrases (a phrase with what staff typed is
    markup: the typed words in a span of their own, dir="auto")."""
    words = {"via": "%(value)s", "channel": _("channel: %(value)s"), "attempt": _("attempt %(value)s"),
             "error": _("error: %(value)s"), "note": _("note: %(value)s"), "status": _("answer: %(value)s"),
             "receipt": _("receipt %(value)s")}
    shown = {"via": {"post": _("by post"), "webhook": _("through the intake"), "link": _("through the signed link"),
                     "api_key": _("through the API key"), "account": _("through the portal account")},
             "channel": {code: channel_word(code) for code in CHANNELS},
             "status": {code: said("reply", code) for code in ("accepted", "partly", "rejected", "forwarded")}}
    details = []
    for key in STEP_EXTRA:
        value = entry.get(key)
        if value in (None, ""):
            continue
        if key in USER_TEXT:
            details.append(Markup.escape(words[key]) % {"value": Markup('<span dir="auto">%s</span>') % value})
        else:
            details.append(words[key] % {"value": shown.get(key, {}).get(value, value)})
    if entry.get("by") and entry.get("step") in ("dispatched", "retried"):  # the others say it in their name
        details.append(_("by municipal staff"))
    return details


@bp.get("/m/<municipality>/staff/forwarding/dossiers/<dossier_id>")
@staff_only
def staff_forwarding_dossier(dossier_id):
    return dossier_page(checked_id(dossier_id))


def _download(operation: str, dossier_id: str, media_type: str, suffix: str) -> Response:
    answer = fetch(operation, dossier_id=checked_id(dossier_id))
    if answer.status_code != 200:
        abort(404 if answer.status_code in (403, 404, 409) else 503)
    disposition = answer.headers.get("Content-Disposition") or \
        f'attachment; filename="dossier-{dossier_id}.{suffix}"'
    return Response(answer.content, mimetype=media_type, headers={"Content-Disposition": disposition})


@bp.get("/m/<municipality>/staff/forwarding/dossiers/<dossier_id>/pdf")
@staff_only
def staff_forwarding_pdf(dossier_id):
    return _download("dossier_pdf", dossier_id, "application/pdf", "pdf")


@bp.get("/m/<municipality>/staff/forwarding/dossiers/<dossier_id>/json")
@staff_only
def staff_forwarding_json(dossier_id):
    return _download("dossier_json", dossier_id, "application/json", "json")
