"""Eligibility: register rows, the pluggable verification rule, who may vote; and deliberation rules."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

import pytest

from services.errors import Conflict, DomainError, Forbidden, status_for
from voting import domain

TODAY = date(2026, 11, 22)


def test_a_good_row_is_normalised():
    seen = set()
    assert domain.check_row({"reference": " idr-0042 ", "date_of_birth": "1980-02-29"}, TODAY, seen) == \
        ("IDR-0042", date(1980, 2, 29))
    assert domain.check_row({"reference": "IDR/7", "date_of_birth": "01.03.1999"}, TODAY, seen)[1] == date(1999, 3, 1)
    assert seen == {"IDR-0042", "IDR/7"}


@pytest.mark.parametrize("row,reason", [
    ({"reference": "", "date_of_birth": "1980-01-01"}, "reference is missing"),
    ({"date_of_birth": "1980-01-01"}, "reference is missing"),
    ({"reference": "A!", "date_of_birth": "1980-01-01"}, "is not 3-40"),
    ({"reference": "IDR-1", "date_of_birth": ""}, "date_of_birth is missing"),
    ({"reference": "IDR-1", "date_of_birth": "1980-02-30"}, "is not a date"),
    ({"reference": "IDR-1", "date_of_birth": "yesterday"}, "is not a date"),
    ({"reference": "IDR-1", "date_of_birth": "2030-01-01"}, "in the future"),
    ({"reference": "IDR-1", "date_of_birth": "1850-01-01"}, "before 1900"),
])
def test_rejected_rows_say_why(row, reason):
    with pytest.raises(domain.RowRejected) as caught:
        domain.check_row(row, TODAY, set())
    assert reason in str(caught.value)


def test_a_reference_twice_in_one_file_is_rejected_the_second_time():
    seen = set()
    domain.check_row({"reference": "IDR-1", "date_of_birth": "1980-01-01"}, TODAY, seen)
    with pytest.raises(domain.RowRejected, match="appears twice"):
        domain.check_row({"reference": "idr-1", "date_of_birth": "1981-01-01"}, TODAY, seen)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def test_the_register_rule_matches_reference_and_birth_date_in_either_format():
    rule = domain.RULES["register_birth_date"]
    entry = {"birth_digest": digest("1990-07-02")}
    assert rule.reference({"reference": " idr-1002"}) == "IDR-1002"
    assert rule.matches(entry, {"date_of_birth": "1990-07-02"}, digest)
    assert rule.matches(entry, {"date_of_birth": "02.07.1990"}, digest)
    assert not rule.matches(entry, {"date_of_birth": "1990-07-03"}, digest)
    assert not rule.matches(entry, {"date_of_birth": "not a date"}, digest)
    assert not rule.matches({}, {"date_of_birth": "1990-07-02"}, digest)


def test_rules_are_pluggable():
    class Eid:
        name, evidence = "eid", ("assertion",)

        def reference(self, evidence):
            return evidence["assertion"]["register_reference"]

        def matches(self, entry, evidence, digest):
            return evidence["assertion"].get("signed") is True

    rule: domain.EligibilityRule = Eid()
    assert rule.matches({}, {"assertion": {"signed": True}}, digest)


@pytest.mark.parametrize("role,verified,municipality,on_register,code", [
    ("resident", None, "idrija", False, "not_verified"),
    ("resident", "litija", "idrija", True, "not_eligible"),
    ("resident", "idrija", "idrija", False, "not_eligible"),
    ("staff", "idrija", "idrija", True, "forbidden"),
])
def test_who_may_vote(role, verified, municipality, on_register, code):
    with pytest.raises(Forbidden) as caught:
        domain.check_can_vote(role, verified, municipality, on_register)
    assert caught.value.code == code and status_for(caught.value) == 403


def test_a_verified_resident_on_the_register_votes():
    assert domain.check_can_vote("resident", "idrija", "idrija", True) is None


# --- deliberation --------------------------------------------------------------------------------

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


def test_the_edit_window():
    domain.check_can_edit("a", "a", "visible", NOW - timedelta(minutes=14), NOW, 15)
    with pytest.raises(Conflict, match="15 minutes"):
        domain.check_can_edit("a", "a", "visible", NOW - timedelta(minutes=16), NOW, 15)
    with pytest.raises(Forbidden):
        domain.check_can_edit("a", "b", "visible", NOW, NOW, 15)
    with pytest.raises(Conflict):
        domain.check_can_edit("a", "a", "hidden", NOW, NOW, 15)


def test_hiding_needs_staff_and_a_reason():
    with pytest.raises(Forbidden):
        domain.check_can_hide("resident", "visible", "spam")
    with pytest.raises(DomainError):
        domain.check_can_hide("staff", "visible", "  ")
    domain.check_can_hide("staff", "visible", "spam")


def test_threads_nest_at_most_six_deep():
    assert domain.reply_depth(None) == 0 and domain.reply_depth(5) == 6
    with pytest.raises(DomainError):
        domain.reply_depth(6)


def test_counts_and_top_arguments_ignore_hidden_and_deleted():
    def c(i, side, endorsements, status="visible"):
        return {"id": i, "alignment": side, "endorsements": endorsements, "status": status, "posted_at": i}
    comments = [c(1, "for", 1), c(2, "for", 5), c(3, "for", 9, "hidden"), c(4, "against", 0),
                c(5, "neutral", 3), c(6, "for", 5), c(7, "against", 2, "deleted")]
    assert domain.argument_counts(comments) == {"for": 3, "against": 1, "neutral": 1}
    top = domain.top_arguments(comments, per_side=2)
    assert [x["id"] for x in top["for"]] == [2, 6] and [x["id"] for x in top["against"]] == [4]


def test_endorsing_rules():
    with pytest.raises(Conflict):
        domain.check_can_endorse("resident", "a", "a", "visible")
    with pytest.raises(Forbidden):
        domain.check_can_endorse("staff", "a", "b", "visible")
    domain.check_can_endorse("resident", "a", "b", "visible")
