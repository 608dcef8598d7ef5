"""Pure rules of proposals and moderation (proposals/domain.py)."""
from __future__ import annotations

import pytest

from proposals import domain
from services.errors import Conflict, DomainError, Forbidden, status_for

THEMES = list(domain.DEFAULT_THEMES)


# --- moderate ----------------------------------------------------------------

@pytest.mark.parametrize("competence", ["municipal", "national", "shared"])
def test_staff_approving_a_pending_proposal_publishes_it(competence):
    assert domain.moderate("pending", "approve", "staff", None, competence) == "published"


def test_approval_ignores_the_reason():
    assert domain.moderate("pending", "approve", "staff", "   ", "national") == domain.PUBLISHED


@pytest.mark.parametrize("reason", ["Duplicate of an earlier proposal.", "  x  ", "Žal ne."])
def test_staff_rejecting_with_a_reason_rejects(reason):
    assert domain.moderate("pending", "reject", "staff", reason, None) == "rejected"


def test_rejection_ignores_the_competence():
    assert domain.moderate("pending", "reject", "staff", "Off topic.", "national") == domain.REJECTED


@pytest.mark.parametrize("role", ["resident", "institution", "anonymous", "system", "", "Staff"])
@pytest.mark.parametrize("status", ["pending", "published", "rejected"])
def test_only_staff_moderate(role, status):
    # The role is checked first: a non-staff caller learns nothing about the status.
    with pytest.raises(Forbidden) as caught:
        domain.moderate(status, "approve", role, None, "national")
    assert caught.value.code == "forbidden"
    assert status_for(caught.value) == 403


@pytest.mark.parametrize("status", ["published", "rejected"])
@pytest.mark.parametrize("decision,reason,competence", [
    ("approve", None, "national"),
    ("reject", "A reason.", None),
])
def test_only_pending_proposals_are_moderated(status, decision, reason, competence):
    with pytest.raises(Conflict) as caught:
        domain.moderate(status, decision, "staff", reason, competence)
    assert caught.value.code == "wrong_state"
    assert status in caught.value.message
    assert status_for(caught.value) == 409


def test_state_is_checked_before_the_decision_details():
    # An already-decided proposal is a conflict even when the decision itself is incomplete.
    with pytest.raises(Conflict) as caught:
        domain.moderate("published", "approve", "staff", None, None)
    assert caught.value.code == "wrong_state"


@pytest.mark.parametrize("competence", [None, "", "regional", "National", "municipal "])
def test_approval_needs_a_known_competence(competence):
    with pytest.raises(DomainError) as caught:
        domain.moderate("pending", "approve", "staff", "fine", competence)
    error = caught.value
    assert type(error) is DomainError
    assert error.code == "invalid"
    assert status_for(error) == 422
    assert list(error.errors["json"]) == ["competence"]
    assert error.errors["json"]["competence"] == ["Must be one of: municipal, national, shared."]


@pytest.mark.parametrize("reason", [None, "", " ", "\t\n  "])
def test_rejection_needs_a_non_blank_reason(reason):
    with pytest.raises(DomainError) as caught:
        domain.moderate("pending", "reject", "staff", reason, "national")
    error = caught.value
    assert type(error) is DomainError
    assert error.code == "invalid"
    assert list(error.errors["json"]) == ["reason"]


# --- check_theme -------------------------------------------------------------

@pytest.mark.parametrize("theme", THEMES)
def test_a_theme_of_the_process_is_accepted(theme):
    assert domain.check_theme(theme, THEMES) is None


@pytest.mark.parametrize("theme,themes", [
    ("transport", THEMES),
    ("Housing", THEMES),
    ("", THEMES),
    ("housing", []),
    ("housing", ["employment", "health"]),
])
def test_a_theme_outside_the_process_is_invalid(theme, themes):
    with pytest.raises(DomainError) as caught:
        domain.check_theme(theme, themes)
    error = caught.value
    assert error.code == "invalid"
    assert error.errors == {"json": {"theme": [f"Must be one of: {', '.join(themes)}."]}}


# --- visible_to --------------------------------------------------------------

@pytest.mark.parametrize("status,author,caller,role,visible", [
    # Published proposals are public, even to anonymous callers.
    ("published", "ana", "bor", "resident", True),
    ("published", "ana", "", "anonymous", True),
    ("published", "ana", "inst", "institution", True),
    # Pending and rejected: author and staff only.
    ("pending", "ana", "ana", "resident", True),
    ("pending", "ana", "bor", "resident", False),
    ("pending", "ana", "s1", "staff", True),
    ("pending", "ana", "inst", "institution", False),
    ("pending", "ana", "", "anonymous", False),
    ("rejected", "ana", "ana", "resident", True),
    ("rejected", "ana", "bor", "resident", False),
    ("rejected", "ana", "s1", "staff", True),
    ("rejected", "ana", "inst", "institution", False),
])
def test_visibility(status, author, caller, role, visible):
    assert domain.visible_to(status, author, caller, role) is visible
