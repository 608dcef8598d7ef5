"""Pure rules of notifications (notifications/domain.py)."""
from __future__ import annotations

import pytest

from notifications import domain
from services.events import CATALOGUE

# One valid payload (per services.events.CATALOGUE) for every event type in MESSAGES,
# the values the message needs, and the rendered body.
CASES = {
    "proposals.proposal_published": (
        {"proposal_id": "p-1", "process_id": "proc", "title": "Več klopi", "theme": "inclusion",
         "competence": "municipal", "author_id": "u-1"},
        {"title": "Več klopi", "proposal_id": "p-1", "process_id": "proc", "theme": "inclusion",
         "competence": "municipal", "author_id": "u-1"},
        'Your proposal "Več klopi" was published and is open for discussion.',
    ),
    "proposals.proposal_rejected": (
        {"proposal_id": "p-1", "title": "Več klopi", "reason": "Že obstaja.", "author_id": "u-1"},
        {"title": "Več klopi", "proposal_id": "p-1", "reason": "Že obstaja.", "author_id": "u-1"},
        'Your proposal "Več klopi" was not published. Reason: Že obstaja.',
    ),
    "voting.conclusion_reached": (
        {"proposal_id": "p-1", "process_id": "proc", "title": "Več klopi", "outcome": "no_quorum",
         "tally": {"yes": 3, "no": 1, "abstain": 2}, "ballots": 6, "competence": "shared",
         "theme": "housing", "author_id": "u-1", "electorate": 50, "turnout": 0.12, "quorum_needed": 10,
         "quorum_met": False, "tie": False, "majority": "simple",
         "rules": {"majority": "simple", "qualified_fraction": 0.75, "tie": "rejected", "quorum_ballots": 10,
                   "quorum_percent": 0.0, "electorate": "register_at_opening"}},
        {"title": "Več klopi", "proposal_id": "p-1", "process_id": "proc", "outcome": "no quorum",
         "yes": 3, "no": 1, "abstain": 2, "ballots": 6, "competence": "shared", "theme": "housing",
         "author_id": "u-1", "electorate": 50, "quorum_needed": 10, "quorum_met": False, "tie": False,
         "majority": "simple"},
        'The vote on "Več klopi" has closed: no quorum (yes 3, no 1, abstain 2).',
    ),
    "forwarding.dossier_acknowledged": (
        {"dossier_id": "d-1", "proposal_id": "p-1", "institution_id": "mop", "receipt": "R-42"},
        {"title": "Več klopi", "dossier_id": "d-1", "proposal_id": "p-1", "institution_id": "mop",
         "receipt": "R-42"},
        'Your proposal "Več klopi" was sent to the competent national institution, '
        "which confirmed receipt (R-42).",
    ),
    "accounts.password_reset_requested": (
        {"user_id": "u-1", "email": "ana@example.org", "language": "sl",
         "link": "https://civic.example/password-reset/abc"},
        {"title": "Več klopi", "user_id": "u-1", "email": "ana@example.org", "language": "sl",
         "link": "https://civic.example/password-reset/abc"},
        "Someone, probably you, asked to reset the password of your account on the participation platform. "
        "To choose a new password, open this link within an hour; it works once:\n\n"
        "https://civic.example/password-reset/abc\n\n"
        "If you did not ask for it, ignore this e-mail: your password stays as it is.",
    ),
    "accounts.sign_in_failures_burst": (
        {"user_id": "u-1", "email": "ana@example.org", "language": "sl", "failures": 10, "minutes": 15},
        {"title": "Več klopi", "user_id": "u-1", "email": "ana@example.org", "language": "sl", "failures": 10,
         "minutes": 15},
        "Someone tried to sign in to your account on the participation platform with a wrong password "
        "10 times within 15 minutes. If it was you, there is nothing to do. If it was not, "
        "you can still sign in as usual, and you may choose a new password on your account page.",
    ),
}


def test_every_message_type_is_covered_and_is_a_catalogue_event():
    assert set(CASES) == set(domain.MESSAGES)
    assert set(domain.MESSAGES) <= set(CATALOGUE)


@pytest.mark.parametrize("event_type", sorted(CASES))
def test_case_payloads_are_valid_events(event_type):
    payload = CASES[event_type][0]
    assert CATALOGUE[event_type][1]().validate(payload) == {}


@pytest.mark.parametrize("event_type", sorted(CASES))
def test_message_values(event_type):
    payload, expected, _ = CASES[event_type]
    assert domain.message_values(event_type, payload, "Več klopi") == expected


@pytest.mark.parametrize("event_type", sorted(CASES))
def test_message_renders_from_its_values(event_type):
    payload, _, body = CASES[event_type]
    subject_id, body_id = domain.MESSAGES[event_type]
    values = domain.message_values(event_type, payload, "Več klopi")
    assert body_id % values == body
    assert subject_id % values == subject_id  # subjects carry no placeholders


@pytest.mark.parametrize("outcome,label", [("adopted", "adopted"), ("rejected", "rejected"),
                                           ("no_quorum", "no quorum")])
def test_conclusion_outcome_is_labelled(outcome, label):
    payload = {**CASES["voting.conclusion_reached"][0], "outcome": outcome}
    assert domain.message_values("voting.conclusion_reached", payload, "t")["outcome"] == label


def test_nested_values_other_than_the_tally_are_left_out():
    values = domain.message_values("proposals.proposal_rejected",
                                   {"title": "t", "reason": "r", "extra": {"a": 1}, "none": None}, "t")
    assert "extra" not in values and "none" not in values
    assert values == {"title": "t", "reason": "r"}


def test_the_known_title_is_used_when_the_event_has_none():
    payload = CASES["forwarding.dossier_acknowledged"][0]
    assert "title" not in payload
    assert domain.message_values("forwarding.dossier_acknowledged", payload, "Znan naslov")["title"] \
        == "Znan naslov"


def test_mail_id_is_stable_for_one_event_and_recipient():
    assert domain.mail_id("e-1", "u-1") == domain.mail_id("e-1", "u-1")


def test_mail_id_is_unique_per_event_and_recipient():
    events = ["3f1c2a9e-0000-4000-8000-000000000001", "3f1c2a9e-0000-4000-8000-000000000002"]
    users = ["u-1", "u-2", "u-3"]
    ids = [domain.mail_id(e, u) for e in events for u in users]
    assert len(set(ids)) == len(ids) == 6
