"""Eligibility: the register's rows, references, birth dates, and who may vote. Pure: no I/O."""
from __future__ import annotations

import hmac
import re
from datetime import date, datetime
from typing import Callable, Protocol

from services.errors import Forbidden


REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9/-]{2,39}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RowRejected(ValueError):
    """A register row that cannot be imported, with the reason (and its `code`, for reports that
    must not repeat the row's values: see REASONS)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


# Why a row was rejected, in words that repeat none of its values (a birth date is personal).
REASONS = {
    "reference_missing": "reference is missing",
    "reference_invalid": "reference is not 3-40 letters, digits, '-' or '/'",
    "reference_repeated": "reference appears more than once in the file",
    "date_missing": "date_of_birth is missing",
    "date_invalid": "date_of_birth is not a date (YYYY-MM-DD or DD.MM.YYYY)",
    "date_future": "date_of_birth is in the future",
    "date_too_early": "date_of_birth is before 1900",
}


def normalise_reference(value: str | None) -> str:
    return re.sub(r"\s+", "", (value or "")).upper()


def parse_birth_date(value: str | None, today: date) -> date:
    text = (value or "").strip()
    if not text:
        raise RowRejected("date_of_birth is missing", "date_missing")
    born = None
    if _ISO_DATE.match(text):  # the usual form, ten times faster than strptime (100,000-row files)
        try:
            born = date.fromisoformat(text)
        except ValueError:
            pass
    for pattern in () if born else ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            born = datetime.strptime(text, pattern).date()
            break
        except ValueError:
            continue
    if born is None:
        raise RowRejected(f"date_of_birth {text!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)", "date_invalid")
    if born > today:
        raise RowRejected("date_of_birth is in the future", "date_future")
    if born.year < 1900:
        raise RowRejected("date_of_birth is before 1900", "date_too_early")
    return born


def check_row(row: dict, today: date, seen: set) -> tuple[str, date]:
    """(reference, birth date) of one register row, or RowRejected with the reason."""
    reference = normalise_reference(row.get("reference"))
    if not reference:
        raise RowRejected("reference is missing", "reference_missing")
    if not REFERENCE.match(reference):
        raise RowRejected(f"reference {reference!r} is not 3-40 letters, digits, '-' or '/'", "reference_invalid")
    if reference in seen:
        raise RowRejected(f"reference {reference} appears twice in the file", "reference_repeated")
    born = parse_birth_date(row.get("date_of_birth"), today)
    seen.add(reference)
    return reference, born


class EligibilityRule(Protocol):
    """How a resident proves they are a given register entry. Pluggable: an eID rule would check a
    signed assertion instead and name the entry it vouches for."""

    name: str
    evidence: tuple[str, ...]

    def reference(self, evidence: dict) -> str:
        """The register entry the evidence claims."""

    def matches(self, entry: dict, evidence: dict, digest: Callable[[str], str]) -> bool:
        """Whether the evidence proves the entry (digest: the service's keyed hash)."""


class RegisterAndBirthDate:
    """The register reference printed on the resident's notice, plus their date of birth."""

    name = "register_birth_date"
    evidence = ("reference", "date_of_birth")

    def reference(self, evidence: dict) -> str:
        return normalise_reference(evidence.get("reference"))

    def matches(self, entry: dict, evidence: dict, digest: Callable[[str], str]) -> bool:
        try:
            born = parse_birth_date(evidence.get("date_of_birth"), date.max)
        except RowRejected:
            return False
        return hmac.compare_digest(entry.get("birth_digest", ""), digest(born.isoformat()))


RULES: dict[str, EligibilityRule] = {RegisterAndBirthDate.name: RegisterAndBirthDate()}


def check_can_vote(role: str, verified_municipality: str | None, municipality: str, on_register: bool) -> None:
    """Only verified residents who are on this municipality's register vote (403 otherwise)."""
    if role != "resident":
        raise Forbidden("Only residents vote.")
    if verified_municipality is None:
        raise Forbidden("Verify that you are on the municipality's register of eligible residents before "
                        "you vote: POST /api/v1/eligibility/verification.", code="not_verified")
    if verified_municipality != municipality or not on_register:
        raise Forbidden("You are not on this municipality's register of eligible residents.",
                        code="not_eligible")
