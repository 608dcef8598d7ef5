"""Processes and themes: create and edit a process, its phases and dates, its themes and voting rules; workshop input (focus groups, world cafés).

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`. This module
has the list of the municipality's processes (/staff/processes, filtered by state), one process's
page for staff (/staff/processes/<id>: its phases, themes, voting rules and workshop records, each
with the way to change it) and the section's dashboard cards; the form of a process, the themes and
voting rules, and workshop input are in the `staff_processes_*` modules imported below."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages import staff_processes_form, staff_processes_rules, staff_processes_workshops  # noqa: F401 (pages)
from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import fetch, try_fetch
from gateway.pages.labels import label
from gateway.pages.render import render
from gateway.pages.staff import Card, section, staff_only
from gateway.pages.staff_processes_common import (
    changes_soon, phases_of, process_or_404, state_labels, state_of, title_of)
from gateway.pages.staff_processes_rules import rules_summary
from gateway.pages.staff_processes_workshops import workshop_records
from gateway.pages.proposals import theme_labeller

MOST_CARDS = 5  # phase changes named one by one on the dashboard; the rest are counted


def _listed(process: dict) -> dict:
    title, lang = title_of(process)
    phases = phases_of(process)
    current = next((p for p in phases if p["code"] == process.get("current_phase")), None)
    return {**process, "title_text": title, "title_lang": lang, "state": state_of(process),
            "current": current, "starts_on": phases[0]["starts_on"] if phases else None,
            "ends_on": phases[-1]["ends_on"] if phases else None, "soon": changes_soon(process)}


def _all_processes() -> list[dict]:
    answer = fetch("list_processes")
    return [_listed(p) for p in answer.json()] if answer.status_code == 200 else []


@bp.get("/m/<municipality>/staff/processes")
@staff_only
def staff_processes():
    """The municipality's processes with their state, current phase and dates; filtered by state."""
    states, listed = state_labels(), _all_processes()
    chosen = request.args.get("state") if request.args.get("state") in states else ""
    counts = {state: sum(1 for p in listed if p["state"] == state) for state in states}
    counts["soon"] = sum(1 for p in listed if p["soon"])
    shown = [p for p in listed if not chosen or p["state"] == chosen or (chosen == "soon" and p["soon"])]
    return render("staff_processes.html", processes=shown, total=len(listed), chosen=chosen, states=states,
                  counts=counts)


@bp.get("/m/<municipality>/staff/processes/<process_id>")
@staff_only
def staff_process(process_id):
    """One process as staff run it: what it is, its phases, themes, voting rules and workshop input."""
    process = _listed(process_or_404(process_id))
    theme_label = theme_labeller()
    rules = try_fetch("process_voting_rules", process_id=process["id"])
    records, total = workshop_records(process["id"], page=1, per_page=5)
    return render("staff_processes_process.html", process=process, phases=phases_of(process), states=state_labels(),
                  themes=[(code, theme_label(code), label("competence", competence))
                          for code, competence in (process.get("themes") or {}).items()],
                  rules=rules_summary(rules.json()) if rules is not None and rules.status_code == 200 else None,
                  records=records, records_total=total)


def cards() -> list[Card]:
    """Phases starting or ending within a week (the soonest by name), and processes to set up."""
    listed = _all_processes()
    changes = sorted(((change, p) for p in listed for change in p["soon"]), key=lambda pair: pair[0]["on"])
    found = []
    for change, process in changes[:MOST_CARDS]:
        text = (_("%(process)s: %(phase)s starts %(when)s", process=process["title_text"],
                  phase=change["phase"]["label"], when=change["words"]) if change["kind"] == "starts" else
                _("%(process)s: %(phase)s ends %(when)s", process=process["title_text"],
                  phase=change["phase"]["label"], when=change["words"]))
        found.append(Card(text, url_for("pages.staff_process", process_id=process["id"])))
    if len(changes) > MOST_CARDS:
        more = len(changes) - MOST_CARDS
        found.append(Card(ngettext("more phase change this week", "more phase changes this week", more),
                          url_for("pages.staff_processes", state="soon"), count=more))
    setup = sum(1 for p in listed if p["state"] == "setup")
    if setup:
        found.append(Card(ngettext("process needs setting up (no phases or no themes)",
                                   "processes need setting up (no phases or no themes)", setup),
                          url_for("pages.staff_processes", state="setup"), count=setup))
    return found


section("pages.staff_processes", N_("Processes"), 30, cards=cards, prefixes=("processes", "themes", "workshops"))
