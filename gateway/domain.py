"""Pure rules of accounts (no I/O)."""
from __future__ import annotations

from services.errors import DomainError

ROLES = ("resident", "staff", "institution", "operator")
ANONYMOUS = "anonymous"
NATIONAL = "*"  # the home of accounts that belong to no municipality (operators, institutions)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_municipality(code: str, known: list[str]) -> None:
    if code not in known:
        raise DomainError("Unknown municipality.", errors={"json": {"municipality": [
            f"Must be one of: {', '.join(known)}."]}})


def check_password(password: str) -> None:
    problems = []
    if len(password) < 10:
        problems.append("Use at least 10 characters.")
    if password.isalpha() or password.isdigit():
        problems.append("Mix letters with digits or symbols.")
    if problems:
        raise DomainError("The password is too weak.", errors={"json": {"password": problems}})


def home_municipality(role: str, municipality: str | None, known: list[str]) -> str:
    """Residents and staff belong to a municipality; operators are national, institutions may be."""
    if role == "operator" or (role == "institution" and not municipality):
        return NATIONAL
    check_municipality(municipality or "", known)
    return municipality
