"""The proposals state machine and moderation rules (proposals/domain.py), pure."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from proposals import domain
from services.errors import Conflict, DomainError, Forbidden, status_for

S = domain

# role, is_author, status -> the actions allowed (the whole table, so a change is deliberate).
EXPECTED = [
    ("resident", True, S.PENDING, ["edit", "withdraw"]),
    ("resident", True, S.CHANGES_REQUESTED, ["edit", "withdraw"]),
    ("resident", True, S.PUBLISHED, ["withdraw"]),
    ("resident", True, S.HIDDEN, []),
    ("resident", True, S.REJECTED, []),
    ("resident", True, S.WITHDRAWN, []),
    ("resident", False, S.PENDING, []),
    ("resident", False, S.PUBLISHED, []),
    ("staff", False, S.PENDING, ["approve", "reject", "request_changes", "mark_duplicate"]),
    ("staff", False, S.CHANGES_REQUESTED, ["mark_duplicate"]),
    ("staff", False, S.PUBLISHED, ["hide"]),
    ("staff", False, S.HIDDEN, ["restore"]),
    ("staff", False, S.REJECTED, []),
    ("staff", False, S.DUPLICATE, []),
    ("staff", True, S.PENDING, ["edit", "withdraw", "approve", "reject", "request_changes", "mark_duplicate"]),
    ("system", False, S.PUBLISHED, ["auto_hide"]),
    ("system", False, S.PENDING, []),
    ("institution", False, S.PUBLISHED, []),
    ("anonymous", False, S.PUBLISHED, []),
]


@pytest.mark.parametrize("role,is_author,status,actions", EXPECTED)
def test_who_may_do_what_in_which_state(role, is_author, status, actions):
    assert domain.allowed_actions(status, role, is_author) == actions


@pytest.mark.parametrize("action,status,target", [
    ("approve", S.PENDING, S.PUBLISHED), ("reject", S.PENDING, S.REJECTED),
    ("request_changes", S.PENDING, S.CHANGES_REQUESTED), ("hide", S.PUBLISHED, S.HIDDEN),
    ("restore", S.HIDDEN, S.PUBLISHED), ("mark_duplicate", S.PENDING, S.DUPLICATE),
])
def test_staff_transitions_lead_where_they_say(action, status, target):
    assert domain.transition(action, status, "staff") == target


def test_an_edit_resubmits_for_moderation():
    assert domain.transition("edit", S.CHANGES_REQUESTED, "resident", True) == S.PENDING


def test_an_author_cannot_edit_after_publication():
    with pytest.raises(Conflict) as caught:
        domain.transition("edit", S.PUBLISHED, "resident", True)
    assert "no longer be edited" in caught.value.message and status_for(caught.value) == 409


@pytest.mark.parametrize("action", ["approve", "reject", "hide", "restore", "request_changes"])
def test_a_resident_never_moderates_whatever_the_state(action):
    for status in domain.STATUSES:
        with pytest.raises(Forbidden):
            domain.transition(action, status, "resident", True)


def test_someone_elses_proposal_cannot_be_edited_or_withdrawn():
    for action in ("edit", "withdraw"):
        with pytest.raises(Forbidden):
            domain.transition(action, S.PENDING, "resident", False)


def test_auto_hide_is_the_platforms_alone():
    with pytest.raises(Forbidden):
        domain.transition("auto_hide", S.PUBLISHED, "staff")


@pytest.mark.parametrize("competence,default,justification,required,ok", [
    ("national", "national", None, True, True),
    ("municipal", "national", "The municipality runs this service itself.", True, True),
    ("municipal", "national", "  ", True, False),
    ("municipal", "national", None, False, True),
    ("galactic", "national", "x", True, False),
    (None, "national", None, False, False),
])
def test_a_competence_override_needs_a_justification(competence, default, justification, required, ok):
    if ok:
        assert domain.check_competence(competence, default, justification, required) is None
        return
    with pytest.raises(DomainError) as caught:
        domain.check_competence(competence, default, justification, required)
    field = "competence" if competence not in domain.COMPETENCES else "justification"
    assert list(caught.value.errors["json"]) == [field]


def test_rejection_reasons_come_from_the_library_and_or_free_text():
    assert domain.rejection_reason("spam", None) == domain.REASONS["spam"]
    assert domain.rejection_reason("spam", " see rules ") == domain.REASONS["spam"] + " see rules"
    assert domain.rejection_reason(None, "Own words.") == "Own words."
    for code, text in (("nonsense", None), (None, " ")):
        with pytest.raises(DomainError):
            domain.rejection_reason(code, text)


@pytest.mark.parametrize("status,reports,threshold,hide", [
    (S.PUBLISHED, 3, 3, True), (S.PUBLISHED, 2, 3, False), (S.HIDDEN, 5, 3, False), (S.PENDING, 9, 3, False),
])
def test_auto_hide_after_the_municipalitys_threshold(status, reports, threshold, hide):
    assert domain.should_auto_hide(status, reports, threshold) is hide


def test_overdue_only_for_pending_items_past_the_target():
    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    assert domain.is_overdue(S.PENDING, now - timedelta(hours=73), now, 72)
    assert not domain.is_overdue(S.PENDING, now - timedelta(hours=71), now, 72)
    assert not domain.is_overdue(S.PUBLISHED, now - timedelta(days=30), now, 72)


def _phase(code, start, end):
    return {"code": code, "starts_on": date.fromisoformat(start), "ends_on": date.fromisoformat(end)}


def test_phases_follow_each_other_and_the_current_one_is_found():
    phases = [_phase("focus_groups", "2026-01-01", "2026-01-31"), _phase("workshops", "2026-02-01", "2026-03-15"),
              _phase("vote", "2026-04-01", "2026-04-14")]
    domain.check_phases(phases)
    assert domain.current_phase(phases, date(2026, 2, 10)) == "workshops"
    assert domain.current_phase(phases, date(2026, 3, 20)) is None
    with pytest.raises(DomainError):
        domain.check_phases([phases[1], phases[0]])
    with pytest.raises(DomainError):
        domain.check_phases([_phase("vote", "2026-05-02", "2026-05-01")])


def test_blocked_users_get_a_403_with_their_own_code():
    with pytest.raises(Forbidden) as caught:
        domain.check_not_blocked(True)
    assert caught.value.code == "blocked" and status_for(caught.value) == 403
    assert domain.check_not_blocked(False) is None


def test_every_proposals_event_of_the_catalogue_builds_and_parses():
    from services.events import CATALOGUE, Actor, encode, make_event, parse_event

    samples = {
        "proposals.proposal_edited": {"proposal_id": "p", "version": 2, "title": "T", "summary": "S",
                                      "theme": "housing", "author_id": "a"},
        "proposals.proposal_hidden": {"proposal_id": "p", "title": "T", "reason": "R", "automatic": True,
                                      "author_id": "a"},
        "proposals.proposal_reported": {"proposal_id": "p", "reason": "R", "reports": 1},
        "proposals.process_created": {"process_id": "x", "title": {"sl": "X"}, "themes": {"housing": "shared"},
                                      "phases": [{"code": "vote", "starts_on": "2026-01-01", "ends_on": "2026-01-02"}]},
        "proposals.pending_summary": {"pending": 3, "overdue": 1, "reported": 0},
    }
    assert set(samples) <= set(CATALOGUE)
    for kind, payload in samples.items():
        event = make_event(kind, municipality="idrija", aggregate_id="p", actor=Actor("staff", "s"), payload=payload)
        assert parse_event(encode(event))["payload"] == event["payload"]
    # The published event voting consumes is unchanged.
    assert CATALOGUE["proposals.proposal_published"][0] == 1
