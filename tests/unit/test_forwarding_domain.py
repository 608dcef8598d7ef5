"""Pure rules of forwarding in depth: dossier v3, review plans, breaker, deadlines, replies, tracker."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from forwarding import domain
from services.errors import DomainError

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "dossier-schema.json").read_text())
CONCLUSION = {"proposal_id": "p-1", "process_id": "idrija-vkljucujoca", "title": "Več stanovanj za mlade",
              "theme": "housing", "competence": "shared", "outcome": "adopted",
              "tally": {"yes": 7, "no": 2, "abstain": 1}, "ballots": 10, "electorate": 40, "turnout": 0.25,
              "quorum_needed": 4, "quorum_met": True, "tie": False, "majority": "simple",
              "rules": {"majority": "simple", "qualified_fraction": 2 / 3, "tie": "rejected", "quorum_ballots": 4,
                        "quorum_percent": 0.0, "electorate": "register_at_opening"}}
INSTITUTION = {"id": "mspo", "name": {"sl": "Ministrstvo za solidarno prihodnost", "en": "Ministry"},
               "acronym": {"sl": "MSP"}}
DUE = datetime(2026, 3, 31, 12, tzinfo=UTC)


def _v3(**extra):
    return domain.build_document(dossier_id="a" * 24, municipality="idrija", conclusion=CONCLUSION,
                                   institution=INSTITUTION, prepared_at="2026-03-01T10:00:00.000+00:00", **extra)


def test_dossier_v3_validates_against_the_published_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    document = _v3(staff_note="Opomba: čšž", justification="Stanovanjski skladi so državni.")
    jsonschema.validate(document, SCHEMA)
    assert document["schema"] == "civic.dossier/3" and document["vote"]["rules"]["quorum_ballots"] == 4
    assert document["competence_justification"] == "Stanovanjski skladi so državni."


def test_dossier_v3_keeps_the_v1_fields_readers_rely_on():
    document = _v3()
    for key in ("dossier_id", "municipality", "competence", "outcome", "tally", "ballots"):
        assert key in document
    assert document["proposal"]["theme"] == "housing" and document["institution"]["id"] == "mspo"
    assert "state" in document["competence_justification"] and "shared" in domain.default_justification("shared")


def test_schema_rejects_a_dossier_with_unknown_fields():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**_v3(), "extra": 1}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):  # v2's ballot count as turnout no longer passes
        jsonschema.validate({**_v3(), "vote": {**_v3()["vote"], "rules": {"quorum": 1, "majority": "x"}}}, SCHEMA)


@pytest.mark.parametrize("current,wanted,plan", [
    (["a", "b"], ["a", "b"], (["a", "b"], [], [])),
    (["a", "b"], ["b", "c"], (["b"], ["c"], ["a"])),
    (["a"], ["c", "b"], ([], ["b", "c"], ["a"])),
])
def test_review_plan(current, wanted, plan):
    assert domain.review_plan(current, wanted) == plan


@pytest.mark.parametrize("channel,review,status", [
    ("webhook", False, "prepared"), ("email", False, "prepared"), ("manual", False, "awaiting_manual"),
    ("webhook", True, "awaiting_review"), ("manual", True, "awaiting_review")])
def test_first_status(channel, review, status):
    assert domain.first_status(channel, review) == status


def test_breaker_opens_at_the_threshold():
    assert domain.breaker_after_failure(0, 3) == (1, False)
    assert domain.breaker_after_failure(2, 3) == (3, True)


@pytest.mark.parametrize("offset,fired,expected", [
    (timedelta(days=-6), [], []),
    (timedelta(days=-4), [], ["reminder_before"]),
    (timedelta(days=-4), ["reminder_before"], []),
    (timedelta(hours=-6), ["reminder_before"], ["reminder_due_day"]),
    (timedelta(hours=1), ["reminder_before", "reminder_due_day"], ["overdue"]),
    (timedelta(days=15), ["overdue"], ["escalated"]),
    (timedelta(days=15), [], ["overdue", "escalated"]),  # a late check still announces each step once
])
def test_due_steps(offset, fired, expected):
    assert domain.due_steps(DUE + offset, DUE, fired, remind_days_before=5, escalate_after_days=14,
                            can_escalate=True) == expected


def test_no_escalation_without_a_target():
    assert domain.due_steps(DUE + timedelta(days=30), DUE, ["overdue"], remind_days_before=5,
                            escalate_after_days=14, can_escalate=False) == []


@pytest.mark.parametrize("status,text,attachments,forwarded_to,field", [
    ("maybe", "t", [], None, "status"),
    ("accepted", "  ", [], None, "text"),
    ("forwarded", "t", [], None, "forwarded_to"),
    ("accepted", "t", [{}] * 6, None, "attachments"),
])
def test_invalid_replies(status, text, attachments, forwarded_to, field):
    with pytest.raises(DomainError) as error:
        domain.check_reply(status, text, attachments, forwarded_to)
    assert field in error.value.errors["json"]


def test_valid_reply_and_link_tokens():
    domain.check_reply("forwarded", "Posredovano ZRSZ.", [], "zrsz")
    assert domain.link_token("s", "d-1") == domain.link_token("s", "d-1")
    assert domain.link_token("s", "d-1") != domain.link_token("s", "d-2") != domain.link_token("t", "d-1")


def test_average_days():
    start = DUE
    assert domain.average_days([]) is None
    assert domain.average_days([(start, start + timedelta(days=2)), (start, start + timedelta(days=4)),
                                (start, None)]) == 3.0
