"""What a vote concluded, on the proposal's page: the results with the rules that decided them
(turnout against the electorate, the quorum, the majority, a chart drawn as SVG on the server with
its data table), and what happened next: each dossier's timeline, due date, overdue flag and the
institution's reply."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages.blueprint import N_
from gateway.pages.labels import autonym
from gateway.pages.reply_reading import reply_shown

CHOICES = ("yes", "no", "abstain")
CHART_WIDTH, BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 320, 28, 12, 90
# Fills with at least 3:1 contrast against white (WCAG 1.4.11), told apart by their labels too.
FILLS = {"yes": "#1d6b3a", "no": "#9b1c1c", "abstain": "#4b5563"}

WORDS = {
    "majority": {"simple": N_("simple majority: more yes than no"),
                 "absolute": N_("absolute majority: yes from more than half of all ballots")},
    "tie": {"rejected": N_("a tie is rejected"), "adopted": N_("a tie is adopted")},
    "step": {"routed": N_("Sent for forwarding"), "prepared": N_("Dossier prepared and signed"),
             "approved": N_("Approved by municipal staff"), "added_by_staff": N_("Institution added by staff"),
             "cancelled": N_("Withdrawn by municipal staff"), "dispatched": N_("Sent to the institution"),
             "failed": N_("Sending failed; it is retried"), "abandoned": N_("Sending stopped; staff retry it"),
             "retried": N_("Sent again"), "acknowledged": N_("Receipt confirmed by the institution"),
             "replied": N_("The institution replied"), "reminder_before": N_("Reminder sent before the due date"),
             "reminder_due_day": N_("Reminder sent on the due date"), "overdue": N_("Reply overdue"),
             "escalated": N_("Escalated to the supervising body")},
    "reply": {"accepted": N_("Accepted"), "partly": N_("Partly accepted"), "rejected": N_("Not accepted"),
              "forwarded": N_("Forwarded to another body")},
}


def said(kind: str, code: str | None) -> str:
    """The visitor's words for a code of the results or the forwarding (the code when unknown)."""
    text = WORDS.get(kind, {}).get(code or "")
    return _(text) if text else (code or "")


def rules_in_words(rules: dict | None) -> list[str]:
    """The rules a closed vote was decided by, as sentences."""
    rules = rules or {}
    lines = []
    majority = rules.get("majority")
    if majority == "qualified" and rules.get("qualified_fraction"):
        lines.append(_("qualified majority: yes from at least %(share)s of those who voted yes or no",
                       share=f"{round(rules['qualified_fraction'] * 100)} %"))
    elif majority:
        lines.append(said("majority", majority))
    if rules.get("tie"):
        lines.append(said("tie", rules["tie"]))
    if rules.get("quorum_ballots"):
        lines.append(ngettext("quorum: at least %(num)d ballot", "quorum: at least %(num)d ballots",
                              rules["quorum_ballots"]))
    if rules.get("quorum_percent"):
        lines.append(_("quorum: at least %(share)s of the register", share=f"{rules['quorum_percent']:g} %"))
    return lines


def chart(tally: dict | None) -> dict | None:
    """Bars of the tally for an inline SVG: each with its width, position, fill and text."""
    if not tally:
        return None
    most = max(tally.values()) or 1
    bars = []
    for n, choice in enumerate(CHOICES):
        count = tally.get(choice, 0)
        bars.append({"choice": choice, "count": count, "y": n * (BAR_HEIGHT + BAR_GAP),
                     "width": max(2, round((CHART_WIDTH - LABEL_WIDTH - 40) * count / most)), "fill": FILLS[choice]})
    return {"bars": bars, "width": CHART_WIDTH, "height": len(CHOICES) * (BAR_HEIGHT + BAR_GAP),
            "bar_height": BAR_HEIGHT, "label_width": LABEL_WIDTH}


def overdue(dossier: dict) -> bool:
    """Whether the reply is overdue, as forwarding's deadline clock decided it (its timeline says so)."""
    if dossier.get("replied_at") or dossier.get("status") in ("replied", "cancelled"):
        return False
    return any(entry.get("step") == "overdue" for entry in dossier.get("timeline") or [])


def context_for(proposal: dict, vote: dict | None) -> dict:
    """What _results.html and _forwarding.html need beyond the vote and the dossiers."""
    closed = bool(vote and vote.get("status") == "closed")
    return {"said": said, "rules_in_words": rules_in_words, "chart": chart(vote.get("tally")) if closed else None,
            "overdue": overdue, "reply_shown": reply_shown, "autonym": autonym}
