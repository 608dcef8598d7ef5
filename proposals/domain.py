"""Pure rules of proposals and moderation (no I/O): the state machine, themes, phases."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from services.errors import Conflict, DomainError, Forbidden

PENDING, PUBLISHED, REJECTED = "pending", "published", "rejected"
CHANGES_REQUESTED, HIDDEN, WITHDRAWN, DUPLICATE = "changes_requested", "hidden", "withdrawn", "duplicate"
STATUSES = (PENDING, CHANGES_REQUESTED, PUBLISHED, REJECTED, HIDDEN, WITHDRAWN, DUPLICATE)
COMPETENCES = ("municipal", "national", "shared")
AUTHOR_KINDS = ("resident", "organisation", "workshop")
PHASES = ("focus_groups", "workshops", "deliberation", "vote", "adoption", "forwarding")

# The nine areas of social planning, each with its default competence.
NATIONAL_THEMES = {
    "employment": ("Economy and workforce", "national"),
    "housing": ("Housing", "shared"),
    "health": ("Health care", "national"),
    "training": ("Training and schooling", "shared"),
    "education": ("Education", "shared"),
    "intercultural": ("Intercultural dialogue", "municipal"),
    "culture": ("Culture and leisure", "municipal"),
    "family": ("Family and youth", "shared"),
    "rights": ("Political and legal rights", "national"),
}

# The demo process's themes and each theme's default competence.
DEFAULT_THEMES = {
    "employment": "national",
    "housing": "shared",
    "education": "shared",
    "health": "national",
    "inclusion": "municipal",
}

# Reason library for rejections and hiding: code -> text shown to the author.
REASONS = {
    "spam": "Spam or advertising.",
    "offensive": "Offensive or discriminatory content.",
    "off_topic": "Not related to the process.",
    "duplicate": "Duplicates an existing proposal.",
    "personal_data": "Contains personal data of others.",
    "unclear": "Too unclear to be discussed.",
    "not_feasible": "Outside what the process can decide.",
}

# (action) -> (roles allowed, who: "staff"|"author"|"system", from statuses, to status)
TRANSITIONS = {
    "edit": ("author", (PENDING, CHANGES_REQUESTED), PENDING),
    "withdraw": ("author", (PENDING, CHANGES_REQUESTED, PUBLISHED), WITHDRAWN),
    "approve": ("staff", (PENDING,), PUBLISHED),
    "reject": ("staff", (PENDING,), REJECTED),
    "request_changes": ("staff", (PENDING,), CHANGES_REQUESTED),
    "hide": ("staff", (PUBLISHED,), HIDDEN),
    "auto_hide": ("system", (PUBLISHED,), HIDDEN),
    "restore": ("staff", (HIDDEN,), PUBLISHED),
    "mark_duplicate": ("staff", (PENDING, CHANGES_REQUESTED), DUPLICATE),
}
DECISIONS = ("approve", "reject", "request_changes", "hide", "restore", "mark_duplicate")


def transition(action: str, status: str, role: str, is_author: bool = False) -> str:
    """The status `action` leads to; refuses a role that may not act, then a wrong state."""
    who, sources, target = TRANSITIONS[action]
    if who == "staff" and role != "staff":
        raise Forbidden("Only municipal staff moderate proposals.")
    if who == "author" and not is_author:
        raise Forbidden("Only the author may do this.")
    if who == "system" and role != "system":
        raise Forbidden("Only the platform does this.")
    if status not in sources:
        if action == "edit" and status == PUBLISHED:
            raise Conflict("A published proposal can no longer be edited.", code="wrong_state")
        raise Conflict(f"The proposal is already {status}.", code="wrong_state")
    return target


def allowed_actions(status: str, role: str, is_author: bool) -> list[str]:
    """Every action this caller may take on a proposal in `status` (for clients and tests)."""
    allowed = []
    for action in TRANSITIONS:
        try:
            transition(action, status, role, is_author)
        except DomainError:
            continue
        allowed.append(action)
    return allowed


def _invalid(field: str, message: str, summary: str | None = None) -> DomainError:
    return DomainError(summary or message, errors={"json": {field: [message]}})


def check_theme(theme: str, themes: list[str]) -> None:
    if theme not in themes:
        raise DomainError("This theme is not part of the process.", code="invalid",
                          errors={"json": {"theme": [f"Must be one of: {', '.join(themes)}."]}})


def check_competence(competence: str | None, default: str | None, justification: str | None,
                     required: bool = True) -> None:
    """Approval names a competence; departing from the theme's default needs a justification
    where the municipality requires one (`required`)."""
    if competence not in COMPETENCES:
        raise _invalid("competence", f"Must be one of: {', '.join(COMPETENCES)}.", "Approval needs a competence.")
    if required and default and competence != default and not (justification or "").strip():
        raise _invalid("justification", f"Explain why the competence differs from the theme's "
                       f"default ({default}).", "Overriding the default competence needs a justification.")


def rejection_reason(code: str | None, text: str | None) -> str:
    """The reason an author reads: the library's text and/or the moderator's own words."""
    if code is not None and code not in REASONS:
        raise _invalid("reason_code", f"Must be one of: {', '.join(REASONS)}.")
    parts = [REASONS[code]] if code else []
    if (text or "").strip():
        parts.append(text.strip())
    if not parts:
        raise _invalid("reason", "A reason is required to reject.", "A rejection needs a reason.")
    return " ".join(parts)


def moderate(status: str, decision: str, role: str, reason: str | None,
             competence: str | None) -> str:
    """The status a pending proposal moves to when staff approve or reject it."""
    target = transition(decision, status, role)
    if decision == "approve":
        check_competence(competence, None, None)
    else:
        rejection_reason(None, reason)
    return target


def visible_to(status: str, author_id: str, caller_id: str, role: str) -> bool:
    """Published proposals are public; others only to their author and staff."""
    return status == PUBLISHED or role == "staff" or author_id == caller_id


def check_phases(phases: list[dict]) -> None:
    """Phases are known, each ends on or after it starts, and they follow each other."""
    previous_end = None
    for index, phase in enumerate(phases):
        if phase["code"] not in PHASES:
            raise _invalid("phases", f"Phase {index + 1}: code must be one of: {', '.join(PHASES)}.")
        if phase["ends_on"] < phase["starts_on"]:
            raise _invalid("phases", f"Phase {index + 1} ({phase['code']}) ends before it starts.")
        if previous_end and phase["starts_on"] < previous_end:
            raise _invalid("phases", f"Phase {index + 1} ({phase['code']}) starts before the previous one ends.")
        previous_end = phase["ends_on"]


def current_phase(phases: list[dict], today: date) -> str | None:
    """The phase `today` falls in (None before, between or after phases)."""
    for phase in phases:
        if phase["starts_on"] <= today <= phase["ends_on"]:
            return phase["code"]
    return None


def should_auto_hide(status: str, reports: int, threshold: int) -> bool:
    """Published content reported by `threshold` residents is hidden until staff review it."""
    return status == PUBLISHED and threshold > 0 and reports >= threshold


def is_overdue(status: str, submitted_at: datetime, now: datetime, target_hours: float) -> bool:
    """A pending item waiting longer than the municipality's target is flagged."""
    return status == PENDING and now - submitted_at > timedelta(hours=target_hours)


def check_not_blocked(blocked: bool) -> None:
    if blocked:
        raise Forbidden("Your account is blocked from contributing in this municipality.", code="blocked")
