"""One vote in the staff console: its state and rules; before it opens, its window and its own rules
(defaulting to the process's); opening and closing now, each after a confirmation; once closed, the
result with the recount check, and where a national or shared matter goes next (forwarding)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages import conclusion
from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch, try_fetch
from gateway.pages.labels import label, problem_errors, refusal
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_votes_forms import (RULE_FIELDS, local_input, rules_body, rules_errors, rules_form,
                                             service_errors, window_body)
from gateway.pages.voting import CHOICES, open_or_close
from voting.schemas import MAJORITIES, TIE_RULES

WINDOW_FIELDS = ("opens_at", "closes_at")


def _vote(proposal_id: str) -> tuple[dict, dict]:
    """The vote (its results as staff see them) and its proposal; 404 when voting does not know it."""
    found = fetch("vote_results", proposal_id=proposal_id)
    if found.status_code != 200:
        abort(404)
    proposal = fetch("get_proposal", proposal_id=proposal_id)
    return found.json(), proposal.json() if proposal.status_code == 200 else {"id": proposal_id}


def _process_rules(process_id: str | None) -> dict:
    answer = try_fetch("process_voting_rules", process_id=process_id) if process_id else None
    return answer.json() if answer is not None and answer.status_code == 200 else {}


def _forwarding(proposal: dict, vote: dict) -> dict:
    """Where a closed vote's conclusion goes: nowhere (municipal, not adopted) or the dossiers' states."""
    competence = vote.get("competence") or proposal.get("competence")
    if vote.get("status") != "closed" or competence not in ("national", "shared"):
        return {"applies": False}
    if vote.get("outcome") != "adopted":
        return {"applies": True, "adopted": False}
    answer = try_fetch("forwarding_status", proposal_id=proposal["id"])
    dossiers = answer.json().get("dossiers", []) if answer is not None and answer.status_code == 200 else None
    return {"applies": True, "adopted": True, "dossiers": dossiers,
            "statuses": sorted({label("dossier", d.get("status")) for d in dossiers or []})}


def page(proposal_id: str, status: int = 200, window: dict | None = None, rules: dict | None = None,
         errors: dict | None = None):
    """The vote's page; a form that was refused keeps what was typed (window or rules) with its errors."""
    vote, proposal = _vote(proposal_id)
    defaults = _process_rules(proposal.get("process_id"))
    live = vote.get("live_tally") or {}
    context = {"vote": vote, "proposal": proposal, "title": proposal.get("title") or proposal_id,
               "ballots_so_far": sum(live.values()) if vote.get("status") == "open" else None,
               "window": window or {name: local_input(vote.get(name)) for name in WINDOW_FIELDS},
               "rules": rules or rules_form(vote.get("rules") or {}), "defaults": rules_form(defaults) if defaults else {},
               "errors": errors or {}, "majorities": [(m, majority_label(m)) for m in MAJORITIES],
               "ties": [(t, conclusion.said("tie", t)) for t in TIE_RULES], "choices": CHOICES,
               "hints": rule_hints(rules_form(defaults) if defaults else {}),
               "rules_words": conclusion.rules_in_words(vote.get("rules")), "forwarding": _forwarding(proposal, vote)}
    context.update(conclusion.context_for(proposal, vote))
    return render("staff_votes_vote.html", status, **context)


def rule_hints(defaults: dict) -> dict[str, str]:
    """Each rule field's hint, with the process's value (what the vote follows unless changed here)."""
    shown = {**defaults, "majority": majority_label(defaults.get("majority")),
             "tie": conclusion.said("tie", defaults.get("tie"))}
    base = {"quorum_ballots": _("Abstentions count."), "quorum_percent": _("0 means no such condition."),
            "majority": "", "qualified_percent": _("Only used with a qualified majority: 50 to 100."),
            "tie": _("Used with a simple or absolute majority."), "support_threshold": _("0 means only staff open it.")}
    return {name: " ".join(part for part in (text, _("The process's rule: %(value)s.", value=shown[name])
                                             if defaults.get(name) not in (None, "") else "") if part)
            for name, text in base.items()}


def majority_label(code: str | None) -> str:
    return {"simple": _("Simple: more yes than no"), "absolute": _("Absolute: yes from more than half of all ballots"),
            "qualified": _("Qualified: yes from at least the share below of yes and no")}.get(code, code)


@bp.get("/m/<municipality>/staff/votes/<proposal_id>")
@staff_only
def staff_vote(proposal_id):
    return page(checked_id(proposal_id))


def _here(proposal_id: str, anchor: str | None = None):
    return redirect(url_for("pages.staff_vote", proposal_id=proposal_id, _anchor=anchor))


@bp.post("/m/<municipality>/staff/votes/<proposal_id>/window")
@staff_only
def staff_vote_window(proposal_id):
    """Schedule the window in Ljubljana time (an open vote: its closing time only); clear it with "clear"."""
    proposal_id = checked_id(proposal_id)
    typed = {name: (request.form.get(name) or "").strip()[:32] for name in WINDOW_FIELDS}
    fields = WINDOW_FIELDS if request.form.get("opening") != "fixed" else ("closes_at",)
    body, errors = ({name: None for name in fields}, {}) if request.form.get("clear") else window_body(typed, fields)
    if not errors:
        answer = fetch("schedule_voting", proposal_id=proposal_id, json=body)
        if answer.status_code == 200:
            flash(_("The voting window was cleared: the vote opens and closes only when staff do it.")
                  if request.form.get("clear") else _("The voting window was saved."), "success")
            return _here(proposal_id, "window")
        if answer.status_code != 422:
            flash(refusal(answer, on_409=_("The vote has closed; its window cannot change.")), "error")
            return _here(proposal_id, "window")
        errors = service_errors(problem_errors(answer)) or {"_form": [refusal(answer)]}
    return page(proposal_id, 422, window=typed, errors=errors)


def _changed(body: dict, current: dict) -> dict:
    """Only what differs from the vote's rules now: the rest keeps following the process's rules."""
    def same(a, b):
        return abs(a - b) < 1e-4 if isinstance(a, float) and isinstance(b, (int, float)) else a == b
    return {k: v for k, v in body.items() if k not in current or not same(v, current[k])}


@bp.post("/m/<municipality>/staff/votes/<proposal_id>/rules")
@staff_only
def staff_vote_rules(proposal_id):
    """Set this vote's own rules before it opens (or take the process's rules again)."""
    proposal_id = checked_id(proposal_id)
    vote, proposal = _vote(proposal_id)
    typed = {name: (request.form.get(name) or "").strip()[:16] for name in RULE_FIELDS}
    if request.form.get("reset"):
        body, errors = _process_rules(proposal.get("process_id")), {}
        body = {k: v for k, v in body.items() if k not in ("process_id", "proposal_id")}
    else:
        body, errors = rules_body(typed)
        body = _changed(body, vote.get("rules") or {})
    if not errors:
        if not body:
            flash(_("Nothing was changed: these are already the vote's rules."), "success")
            return _here(proposal_id, "rules")
        answer = fetch("set_vote_rules", proposal_id=proposal_id, json=body)
        if answer.status_code == 200:
            flash(_("The vote now follows the process's rules again.") if request.form.get("reset")
                  else _("The rules of this vote were saved."), "success")
            return _here(proposal_id, "rules")
        if answer.status_code != 422:
            flash(refusal(answer, on_409=_("The rules of a vote are fixed once it opens.")), "error")
            return _here(proposal_id, "rules")
        errors = rules_errors(problem_errors(answer)) or {"_form": [refusal(answer)]}
    return page(proposal_id, 422, rules=typed, errors=errors)


def _confirm_or_act(proposal_id: str, action: str):
    """GET: the confirmation page; POST (confirmed): open or close now, then back to the vote."""
    proposal_id = checked_id(proposal_id)
    if request.method == "POST" and request.form.get("confirmed") == "yes":
        open_or_close(f"{action}_voting", action == "open", proposal_id=proposal_id)
        return _here(proposal_id, "result" if action == "close" else None)
    vote, proposal = _vote(proposal_id)
    if vote.get("status") != ("published" if action == "open" else "open"):
        flash(_("This vote cannot be opened now: it is %(state)s.", state=label("vote", vote.get("status")))
              if action == "open" else
              _("This vote cannot be closed now: it is %(state)s.", state=label("vote", vote.get("status"))), "error")
        return _here(proposal_id)
    live = vote.get("live_tally") or {}
    return render("staff_votes_confirm.html", action=action, kind="proposal", vote=vote,
                  title=proposal.get("title") or proposal_id, title_lang=proposal.get("language"),
                  ballots=sum(live.values()),
                  rules_words=conclusion.rules_in_words(vote.get("rules")),
                  action_url=url_for(f"pages.staff_vote_{action}", proposal_id=proposal_id),
                  back_url=url_for("pages.staff_vote", proposal_id=proposal_id))


@bp.route("/m/<municipality>/staff/votes/<proposal_id>/open", methods=["GET", "POST"])
@staff_only
def staff_vote_open(proposal_id):
    return _confirm_or_act(proposal_id, "open")


@bp.route("/m/<municipality>/staff/votes/<proposal_id>/close", methods=["GET", "POST"])
@staff_only
def staff_vote_close(proposal_id):
    return _confirm_or_act(proposal_id, "close")
