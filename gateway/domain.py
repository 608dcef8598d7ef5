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


TOO_COMMON = "This password is too common. Choose one that others are unlikely to use."
REPETITIVE = "Do not repeat the same characters or pattern."
HAS_EMAIL = "Do not use your e-mail address in the password."


def check_password(password: str, email: str | None = None, common: frozenset[str] = frozenset()) -> None:
    """At least 10 characters, not only letters or only digits, not one of the `common` ones
    (lowercased), no trivial repetition, and not the e-mail address's local part."""
    problems = []
    if len(password) < 10:
        problems.append("Use at least 10 characters.")
    if password.isalpha() or password.isdigit():
        problems.append("Mix letters with digits or symbols.")
    if not problems and password.lower() in common:  # the length and the mix are said first
        problems.append(TOO_COMMON)
    elif not problems and repetitive(password):
        problems.append(REPETITIVE)
    local = normalise_email(email or "").partition("@")[0].partition("+")[0]
    if len(local) >= 4 and local in password.lower():
        problems.append(HAS_EMAIL)
    if problems:
        raise DomainError("The password is too weak.", errors={"json": {"password": problems}})


def repetitive(password: str) -> bool:
    """Fewer than 4 different characters ("aaaaaaaaa1"), or one short unit over and over, a few
    digits or symbols after it allowed ("abcabcabcabc", "qweqweqwe12")."""
    if len(set(password)) < 4:
        return True
    core = password.rstrip("0123456789!?.,-_*#+@$%&") or password
    if len(core) < 6:
        return False
    return any(core == (core[:size] * (len(core) // size + 1))[:len(core)]
               for size in range(1, len(core) // 2 + 1))


def home_municipality(role: str, municipality: str | None, known: list[str]) -> str:
    """Residents and staff belong to a municipality; operators are national, institutions may be."""
    if role == "operator" or (role == "institution" and not municipality):
        return NATIONAL
    check_municipality(municipality or "", known)
    return municipality
