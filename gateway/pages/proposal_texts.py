"""A proposal in the languages it is written in: its translations with a switch (the visitor's
language first when there is one), similar proposals, and the earlier versions for its author and staff."""
from __future__ import annotations

from flask import abort, request

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch, try_fetch
from gateway.pages.labels import autonym
from gateway.pages.render import render
from gateway.pages.session import current_language

ORIGINAL = "original"


def texts_for(proposal: dict) -> dict:
    """Which text of the proposal to show (`shown_text`: None for the original) and the links to the others."""
    translations = proposal.get("translations") or {}
    wanted = request.args.get("text")
    if wanted == ORIGINAL:
        shown = None
    elif wanted in translations:
        shown = wanted
    else:
        visitor = current_language()
        shown = visitor if visitor != proposal.get("language") and visitor in translations else None
    links = [{"code": ORIGINAL, "lang": proposal.get("language"), "name": autonym(proposal.get("language") or ""),
              "current": shown is None, "original": True}]
    links += [{"code": code, "lang": code, "name": autonym(code), "current": shown == code, "original": False}
              for code in sorted(translations) if code != proposal.get("language")]
    text = dict(translations[shown], lang=shown) if shown else None
    return {"shown_text": text, "text_links": links if len(links) > 1 else [], "similar": similar_to(proposal)}


def similar_to(proposal: dict, most: int = 5) -> list[dict]:
    """Published proposals like this one (the service's similarity search), itself left out."""
    answer = try_fetch("similar_proposals", json={"title": proposal.get("title", "")[:200],
                                                  "summary": proposal.get("summary", "")[:1000]})
    if answer is None or answer.status_code != 200:
        return []
    return [other for other in answer.json() if other.get("id") != proposal.get("id")][:most]


@bp.get("/m/<municipality>/proposals/<proposal_id>/versions")
def proposal_versions(proposal_id):
    """The earlier versions of a proposal (its author and the municipality's staff)."""
    proposal_id = checked_id(proposal_id)
    proposal = fetch("get_proposal", proposal_id=proposal_id)
    answer = fetch("proposal_versions", proposal_id=proposal_id)
    if proposal.status_code != 200 or answer.status_code != 200:
        abort(404)
    return render("proposal_versions.html", proposal=proposal.json(),
                  versions=sorted(answer.json(), key=lambda v: v.get("version", 0), reverse=True))
