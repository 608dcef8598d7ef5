"""The public tracker: every conclusion sent to a national institution, across all municipalities at
/tracker or one municipality's at /m/<municipality>/tracker, each dossier with its timeline (sent,
acknowledged, replied), institution, due date, overdue flag and reply; filtered by municipality,
institution, theme and phase, and paged. A cross-municipality group (similar conclusions of several
municipalities) has its own page at /tracker/groups/<group_id>."""
from __future__ import annotations

import math

from flask import abort, g, request, url_for
from flask_babel import gettext as _

from gateway.municipalities import all_municipalities
from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.conclusion import said
from gateway.pages.proposals import theme_labeller
from gateway.pages.render import render
from gateway.pages.staff_forwarding_common import directory, institution_name, needed

PER_PAGE = 20
# The public phases of a dossier, as the status filter offers them.
PHASE_WORDS = {"awaiting_acknowledgement": N_("Awaiting acknowledgement"),
               "awaiting_reply": N_("Awaiting reply"), "overdue": N_("Reply overdue"), "replied": N_("Replied"),
               "preparing": N_("Being prepared or sent")}
PHASES = ("awaiting_acknowledgement", "awaiting_reply", "overdue", "replied")


def phase_word(code: str | None) -> str:
    text = PHASE_WORDS.get(code or "")
    return _(text) if text else (code or "")


def _page_number() -> int:
    try:
        return min(max(int(request.args.get("page", 1)), 1), 10000)
    except ValueError:
        return 1


def municipality_title(code: str) -> str:
    found = all_municipalities().get(code)
    return getattr(found, "name", None) or code


def item_context(institutions: dict) -> dict:
    """What the tracker's entries (the `_tracker.html` macros) need to be shown."""
    return {"phase_word": phase_word, "reply_word": lambda code: said("reply", code),
            "theme_label": theme_labeller(), "municipality_title": municipality_title,
            "name_of": lambda d: institution_name(institutions, d["institution_id"])
            if d["institution_id"] in institutions else d["institution_id"],
            "proposal_url": lambda c, anchor=None: url_for("pages.proposal", municipality=c["municipality"],
                                                           proposal_id=c["proposal_id"], _anchor=anchor),
            "group_url": lambda group: url_for("pages.tracker_group", group_id=group["group_id"])}


def tracker_page(municipality: str | None):
    args, institutions = request.args, directory()
    chosen = {"municipality": municipality or (args.get("municipality")
                                               if args.get("municipality") in all_municipalities() else ""),
              "institution": args.get("institution") if args.get("institution") in institutions else "",
              "theme": args.get("theme", "") if 0 < len(args.get("theme", "")) <= 64 else "",
              "status": args.get("status") if args.get("status") in PHASES else ""}
    page = _page_number()
    listing = needed(fetch("tracker", params={
        "municipality": chosen["municipality"] or None, "institution_id": chosen["institution"] or None,
        "theme": chosen["theme"] or None, "status": chosen["status"] or None, "page": page, "per_page": PER_PAGE}))
    pages = max(1, math.ceil(listing["total"] / PER_PAGE))
    endpoint = "pages.municipal_tracker" if municipality else "pages.tracker"

    def list_url(**changes) -> str:
        values = {**{k: v for k, v in chosen.items() if v and not (municipality and k == "municipality")},
                  **changes}
        return url_for(endpoint, **{k: v for k, v in values.items() if v})

    context = item_context(institutions)
    counts = listing.get("counts", {})
    return render("tracker.html", listing=listing, chosen=chosen, page=page, pages=pages, local=municipality,
                  page_url=lambda number: list_url(page=number), clear_url=url_for(endpoint),
                  form_url=url_for(endpoint),
                  municipality_options=[(code, getattr(m, "name", code))
                                        for code, m in all_municipalities().items()],
                  institution_options=sorted(((code, institution_name(institutions, code)) for code in institutions),
                                             key=lambda pair: pair[1].casefold()),
                  theme_options=sorted(((t, context["theme_label"](t)) for t in listing.get("themes", [])),
                                       key=lambda pair: pair[1].casefold()),
                  status_options=[(code, f"{phase_word(code)} ({counts.get(code, 0)})") for code in PHASES],
                  figures_url=url_for("pages.tracker_institutions",
                                      **({"municipality": chosen["municipality"]} if chosen["municipality"] else {})),
                  **context)


@bp.get("/tracker")
def tracker():
    return tracker_page(None)


@bp.get("/m/<municipality>/tracker")
def municipal_tracker():
    return tracker_page(g.municipality)


@bp.get("/tracker/groups/<group_id>")
def tracker_group(group_id):
    """One cross-municipality group: how many municipalities and residents ask for the same, and each
    member conclusion with its own dossiers."""
    listing = needed(fetch("tracker", params={"group_id": checked_id(group_id)}))
    group = next((c["group"] for c in listing["conclusions"] if c.get("group")), None)
    if group is None:
        abort(404)
    institutions = directory()
    members = sorted(listing["conclusions"], key=lambda c: (c["reached_at"], c["proposal_id"]))
    return render("tracker_group.html", group=group, members=members,
                  municipality_names=", ".join(municipality_title(code) for code in group["municipalities"]),
                  **item_context(institutions))
