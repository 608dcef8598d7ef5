"""Why a register row is rejected, as a code whose words repeat none of the row's values (the reports
of register imports show row numbers and these reasons, never a date of birth)."""
from __future__ import annotations

from datetime import date

import pytest

from voting import domain

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("row,code", [
    ({"reference": "", "date_of_birth": "1980-01-01"}, "reference_missing"),
    ({"reference": "a", "date_of_birth": "1980-01-01"}, "reference_invalid"),
    ({"reference": "IDR-1", "date_of_birth": ""}, "date_missing"),
    ({"reference": "IDR-1", "date_of_birth": "1980-02-30"}, "date_invalid"),
    ({"reference": "IDR-1", "date_of_birth": "30.02.1980"}, "date_invalid"),
    ({"reference": "IDR-1", "date_of_birth": "2030-01-01"}, "date_future"),
    ({"reference": "IDR-1", "date_of_birth": "1899-12-31"}, "date_too_early"),
])
def test_each_rejection_has_a_code_and_words_without_the_row_s_values(row, code):
    with pytest.raises(domain.RowRejected) as caught:
        domain.check_row(row, TODAY, set())
    assert caught.value.code == code
    assert row["date_of_birth"] not in domain.REASONS[code] or not row["date_of_birth"]


def test_a_reference_twice_is_rejected_the_second_time():
    seen: set = set()
    domain.check_row({"reference": "idr-1", "date_of_birth": "1980-01-01"}, TODAY, seen)
    with pytest.raises(domain.RowRejected) as caught:
        domain.check_row({"reference": "IDR-1", "date_of_birth": "1981-01-01"}, TODAY, seen)
    assert caught.value.code == "reference_repeated"


@pytest.mark.parametrize("text,expected", [("1985-03-14", date(1985, 3, 14)), ("14.03.1985", date(1985, 3, 14)),
                                           (" 2001-01-09 ", date(2001, 1, 9))])
def test_both_date_forms_are_read(text, expected):
    assert domain.parse_birth_date(text, TODAY) == expected
