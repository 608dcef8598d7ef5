"""Pure rules of proposals and moderation (no I/O)."""
from __future__ import annotations

from services.errors import Conflict, DomainError, Forbidden

PENDING, PUBLISHED, REJECTED = "pending", "published", "rejected"
COMPETENCES = ("municipal", "national", "shared")

# The demo process's themes and each theme's default competence.
DEFAULT_THEMES = {
    "employment": "national",
    "housing": "shared",
    "education": "shared",
    "health": "national",
    "inclusion": "municipal",
}


def check_theme(theme: str, themes: list[str]) -> None:
    if theme not in themes:
        raise DomainError("This theme is not part of the process.", code="invalid",
                          errors={"json": {"theme": [f"Must be one of: {', '.join(themes)}."]}})


def moderate(status: str, decision: str, role: str, reason: str | None,
             competence: str | None) -> str:
    """The status a pending proposal moves to when staff decide on it."""
    if role != "staff":
        raise Forbidden("Only municipal staff moderate proposals.")
    if status != PENDING:
        raise Conflict(f"The proposal is already {status}.", code="wrong_state")
    if decision == "approve":
        if competence not in COMPETENCES:
            raise DomainError("Approval needs a competence.", errors={"json": {
                "competence": [f"Must be one of: {', '.join(COMPETENCES)}."]}})
        return PUBLISHED
    if not (reason or "").strip():
        raise DomainError("A rejection needs a reason.",
                          errors={"json": {"reason": ["A reason is required to reject."]}})
    return REJECTED


def visible_to(status: str, author_id: str, caller_id: str, role: str) -> bool:
    """Published proposals are public; others only to their author and staff."""
    return status == PUBLISHED or role == "staff" or author_id == caller_id
