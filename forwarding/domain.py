"""Pure rules of forwarding: what is forwarded, where, the dossier and its digest, retries."""
from __future__ import annotations

import hashlib
import hmac
import json
import random
from datetime import timedelta

from services.errors import DomainError

DOSSIER_SCHEMA = "civic.dossier/1"
PREPARED, DISPATCHING, FAILED, ACKNOWLEDGED, ABANDONED = (
    "prepared", "dispatching", "failed", "acknowledged", "abandoned")
AWAITING_REVIEW, AWAITING_MANUAL, SENT, REPLIED, CANCELLED = (
    "awaiting_review", "awaiting_manual", "sent", "replied", "cancelled")
DOSSIER_SCHEMA_V3 = "civic.dossier/3"  # docs/dossier-schema.json (v2 stated the vote wrongly: issue 8)
# A forwarded conclusion's routing: to the directory's competent bodies, or waiting for staff to choose.
ROUTED, NEEDS_ROUTING = "routed", "needs_routing"
REPLY_STATUSES = ("accepted", "partly", "rejected", "forwarded")
# Waiting for an answer: the deadline clock runs (a webhook acknowledges; e-mail and post are "sent").
AWAITING_REPLY = (ACKNOWLEDGED, SENT)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # each; PDF, PNG, JPEG, ODT or DOCX (forwarding.attachments)
MAX_ATTACHMENTS = 3
MAX_SUMMARY = 2000  # the reply's plain-language summary for residents


def needs_forwarding(outcome: str, competence: str) -> bool:
    """Adopted conclusions the municipality cannot resolve alone go to the state."""
    return outcome == "adopted" and competence in ("national", "shared")


def route(theme: str, institutions: list[dict]) -> list[dict]:
    """Every institution competent for the theme, in a stable order."""
    return sorted((i for i in institutions if theme in i["themes"]), key=lambda i: i["id"])


def routing_state(routes: list[dict]) -> str:
    """Nothing adopted is lost: a conclusion no institution covers waits for staff to route it."""
    return ROUTED if routes else NEEDS_ROUTING


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(dossier: dict) -> str:
    return hashlib.sha256(canonical(dossier)).hexdigest()


def dossier_id(proposal_id: str, institution_id: str) -> str:
    """Deterministic: one conclusion makes one dossier per institution, however often it is seen."""
    return hashlib.sha256(f"{proposal_id}|{institution_id}".encode()).hexdigest()[:24]


def build_dossier(*, dossier_id: str, municipality: str, conclusion: dict, institution: dict,
                  prepared_at: str) -> dict:
    return {
        "schema": DOSSIER_SCHEMA,
        "dossier_id": dossier_id,
        "prepared_at": prepared_at,
        "municipality": municipality,
        "institution": {"id": institution["id"], "name": institution["name"]},
        "proposal": {"id": conclusion["proposal_id"], "process_id": conclusion["process_id"],
                     "title": conclusion["title"], "theme": conclusion["theme"]},
        "competence": conclusion["competence"],
        "outcome": conclusion["outcome"],
        "tally": conclusion["tally"],
        "ballots": conclusion["ballots"],
    }


def backoff_seconds(attempt: int, base: float, cap: float = 3600.0, rng=random.random) -> float:
    """Exponential backoff with full jitter: uniform in [base, base * 2^(attempt-1)], capped."""
    base = min(base, cap)
    ceiling = min(cap, base * 2.0 ** min(max(attempt - 1, 0), 64))
    return base + (ceiling - base) * rng()


def after_failure(attempt: int, max_attempts: int) -> str:
    return ABANDONED if attempt >= max_attempts else FAILED


# --- dossier, version 3 (docs/dossier-schema.json) ------------------------------

VOTE_FACTS = ("electorate", "turnout", "quorum_needed", "quorum_met", "tie")
RULE_KEYS = ("majority", "qualified_fraction", "tie", "quorum_ballots", "quorum_percent", "electorate")


def vote_section(conclusion: dict) -> dict:
    """The vote as voting decided it: the rules frozen at opening, the electorate, turnout as a share
    of it, and the outcome (null where an old conclusion did not say; never a guessed default)."""
    rules = conclusion.get("rules") or {}
    return {"tally": conclusion["tally"], "ballots": conclusion["ballots"],
            **{key: conclusion.get(key) for key in VOTE_FACTS},
            "rules": {key: rules.get(key) for key in RULE_KEYS}, "outcome": conclusion["outcome"]}


def build_document(*, dossier_id: str, municipality: str, conclusion: dict, institution: dict,
                   prepared_at: str, process: dict | None = None, proposal: dict | None = None,
                   deliberation: dict | None = None, justification: str | None = None,
                   staff_note: str | None = None) -> dict:
    """The full dossier: everything an institution needs to judge the conclusion on its own."""
    proposal = proposal or {}
    return {
        "schema": DOSSIER_SCHEMA_V3,
        "dossier_id": dossier_id,
        "prepared_at": prepared_at,
        "municipality": municipality,
        "process": {"id": conclusion["process_id"], **(process or {})},
        "institution": {"id": institution["id"], "name": institution["name"],
                        "acronym": institution.get("acronym") or {}},
        "proposal": {"id": conclusion["proposal_id"], "process_id": conclusion["process_id"],
                     "title": conclusion["title"], "theme": conclusion["theme"],
                     "summary": proposal.get("summary"), "language": proposal.get("language")},
        "deliberation": {"comments": None, "workshops": [], **(deliberation or {}),
                         "arguments_for": list((conclusion.get("arguments") or {}).get("for", [])),
                         "arguments_against": list((conclusion.get("arguments") or {}).get("against", []))},
        "vote": vote_section(conclusion),
        "competence": conclusion["competence"],
        "competence_justification": justification or default_justification(conclusion["competence"]),
        "staff_note": staff_note,
        "outcome": conclusion["outcome"],
        "tally": conclusion["tally"],
        "ballots": conclusion["ballots"],
    }


def default_justification(competence: str) -> str:
    if competence == "shared":
        return "The matter is shared between the municipality and the state; the municipality acts on its part."
    return "The matter is within the competence of the state, not of the municipality."


# --- review -----------------------------------------------------------------------

def review_plan(current: list[str], wanted: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Staff override: (keep, add, cancel) institution ids."""
    current_set, wanted_set = set(current), set(wanted)
    return (sorted(current_set & wanted_set), sorted(wanted_set - current_set),
            sorted(current_set - wanted_set))


def first_status(channel: str, review_required: bool) -> str:
    """Where a routed dossier starts: review, or straight on to its channel."""
    if review_required:
        return AWAITING_REVIEW
    return approved_status(channel)


def approved_status(channel: str) -> str:
    return AWAITING_MANUAL if channel == "manual" else PREPARED


# --- circuit breaker ------------------------------------------------------------------

def breaker_after_failure(failures: int, threshold: int) -> tuple[int, bool]:
    """(consecutive failures, whether the circuit opens now)."""
    failures += 1
    return failures, failures >= threshold


# --- deadlines ------------------------------------------------------------------------

DEADLINE_STEPS = ("reminder_before", "reminder_due_day", "overdue", "escalated")


def due_steps(now, due_at, fired: list[str], *, remind_days_before: int, escalate_after_days: int,
              can_escalate: bool) -> list[str]:
    """Deadline steps that are due now and not yet announced (each fires once)."""
    day = timedelta(days=1)
    steps = []
    if now >= due_at - remind_days_before * day and now < due_at - day:
        steps.append("reminder_before")
    if due_at - day <= now < due_at:
        steps.append("reminder_due_day")
    if now >= due_at:
        steps.append("overdue")
    if can_escalate and now >= due_at + escalate_after_days * day:
        steps.append("escalated")
    return [s for s in steps if s not in fired]


# --- replies ----------------------------------------------------------------------------

def check_reply(status: str, text: str, attachments: list[dict], forwarded_to: str | None) -> None:
    errors = {}
    if status not in REPLY_STATUSES:
        errors["status"] = [f"Must be one of: {', '.join(REPLY_STATUSES)}."]
    if not text.strip():
        errors["text"] = ["The reply needs a text."]
    if status == "forwarded" and not forwarded_to:
        errors["forwarded_to"] = ["Say which body the dossier was forwarded to."]
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [f"At most {MAX_ATTACHMENTS} attachments."]
    if errors:
        raise DomainError("The reply is not valid.", errors={"json": errors})


def link_token(secret: str, dossier_id: str) -> str:
    """The capability in an institution's signed link: HMAC of the dossier id."""
    return hmac.new(secret.encode(), f"portal|{dossier_id}".encode(), hashlib.sha256).hexdigest()


# --- tracker ----------------------------------------------------------------------------

def average_days(pairs: list[tuple]) -> float | None:
    """Average (replied - sent) in days over answered dossiers; None when none answered."""
    spans = [(end - start).total_seconds() / 86400 for start, end in pairs if start and end]
    return round(sum(spans) / len(spans), 2) if spans else None


def median_days(pairs: list[tuple]) -> float | None:
    """The median of (replied - sent) in days over answered dossiers (the mean of the middle two when
    their number is even), to a tenth of a day; None when none answered."""
    spans = sorted((end - start).total_seconds() / 86400 for start, end in pairs if start and end)
    if not spans:
        return None
    middle = len(spans) // 2
    value = spans[middle] if len(spans) % 2 else (spans[middle - 1] + spans[middle]) / 2
    return round(value, 1)


def in_time(now, due_at, replied_at) -> bool | None:
    """Whether a dossier was answered by its due date: True or False once that is known (answered, or
    the due date passed unanswered), None while it is still open (or it has no due date)."""
    if due_at is None:
        return None
    if replied_at is not None:
        return replied_at <= due_at
    return False if now > due_at else None


def in_time_share(verdicts: list[bool | None]) -> tuple[int, int, float | None]:
    """(answered in time, dossiers whose verdict is known, the share in time 0..1 or None when none is)."""
    known = [v for v in verdicts if v is not None]
    kept = sum(1 for v in known if v)
    return kept, len(known), (round(kept / len(known), 4) if known else None)


# Public phases of a dossier on the tracker (the residents' filter), beside overdue.
AWAITING_ACKNOWLEDGEMENT, AWAITING_ANSWER, OVERDUE, PREPARING = (
    "awaiting_acknowledgement", "awaiting_reply", "overdue", "preparing")
PHASES = (AWAITING_ACKNOWLEDGEMENT, AWAITING_ANSWER, OVERDUE, REPLIED)


def phase(status: str) -> str:
    """Where a dossier stands for the public: sent and not yet acknowledged, acknowledged and awaiting
    the reply, replied, or still being prepared or sent."""
    return {SENT: AWAITING_ACKNOWLEDGEMENT, ACKNOWLEDGED: AWAITING_ANSWER, REPLIED: REPLIED}.get(status, PREPARING)
