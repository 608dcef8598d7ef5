"""Pure rules of accounts (gateway/domain.py)."""
from __future__ import annotations

import pytest

from gateway import domain
from services.errors import DomainError, status_for

SHORT = "Use at least 10 characters."
MIX = "Mix letters with digits or symbols."


@pytest.mark.parametrize("password", [
    "test-password-42", "abcdefghi1", "1234567890a", "correct horse", "čšžčđšž-ćž", "!?!?#%!?!&",
])
def test_acceptable_passwords(password):
    assert domain.check_password(password) is None


@pytest.mark.parametrize("password,problems", [
    ("", [SHORT]),
    ("abc1", [SHORT]),
    ("abcdefgh1", [SHORT]),            # 9 characters
    ("abcdefghij", [MIX]),             # letters only
    ("čšžčšžčšžč", [MIX]),             # letters only, non-ASCII
    ("1234567890", [MIX]),             # digits only
    ("abcdef", [SHORT, MIX]),
    ("123", [SHORT, MIX]),
])
def test_weak_passwords(password, problems):
    with pytest.raises(DomainError) as caught:
        domain.check_password(password)
    error = caught.value
    assert error.code == "invalid"
    assert status_for(error) == 422
    assert error.errors == {"json": {"password": problems}}


@pytest.mark.parametrize("password", ["aaaaaaaaa1", "!!!!!!!!!!", "čšžčšžčšž-", "abc-abc-abc-abc", "qweqweqwe12",
                                      "ab12ab12ab12", "xyxyxyxyxy-1"])
def test_trivial_repetition_is_refused(password):
    with pytest.raises(DomainError) as caught:
        domain.check_password(password)
    assert domain.REPETITIVE in caught.value.errors["json"]["password"]


def test_the_common_list_and_the_e_mail_are_refused():
    with pytest.raises(DomainError) as caught:
        domain.check_password("Password12", common=frozenset({"password12"}))
    assert caught.value.errors["json"]["password"] == [domain.TOO_COMMON]
    with pytest.raises(DomainError) as caught:
        domain.check_password("novak.ana-2026", email="Novak.Ana+civic@example.si")
    assert caught.value.errors["json"]["password"] == [domain.HAS_EMAIL]
    assert domain.check_password("ana-is-here-42", email="ana@example.si") is None  # 3 letters: too short to tell


def test_the_shipped_list_refuses_the_passwords_accepted_before():
    from gateway import passwords

    common = passwords.common_passwords()
    assert len(common) == 19_640  # distinct lines of the shipped file
    for weak in ("password12", "aaaaaaaaa1", "qwertyuiop1", "1234567890a", "iloveyou123"):
        with pytest.raises(DomainError):
            passwords.check(weak)
    passwords.check("test-password-42")


KNOWN = ["idrija", "litija", "ljubljana"]


@pytest.mark.parametrize("code", KNOWN)
def test_known_municipalities(code):
    assert domain.check_municipality(code, KNOWN) is None


@pytest.mark.parametrize("code", ["maribor", "", "Idrija", " idrija", "Ljubljana"])
def test_unknown_municipality(code):
    with pytest.raises(DomainError) as caught:
        domain.check_municipality(code, KNOWN)
    error = caught.value
    assert error.code == "invalid"
    assert error.errors == {"json": {"municipality": ["Must be one of: idrija, litija, ljubljana."]}}


@pytest.mark.parametrize("raw,expected", [
    ("ana@example.si", "ana@example.si"),
    ("  Ana.Novak@Example.SI \n", "ana.novak@example.si"),
    ("\tBOR@PRIMER.SI", "bor@primer.si"),
    ("ŽAN@primer.si", "žan@primer.si"),
])
def test_normalise_email(raw, expected):
    assert domain.normalise_email(raw) == expected


def test_normalise_email_is_idempotent():
    once = domain.normalise_email("  Ana@Example.SI ")
    assert domain.normalise_email(once) == once


@pytest.mark.parametrize("role, given, home", [("operator", "idrija", "*"), ("institution", None, "*"),
                                               ("institution", "litija", "litija"), ("staff", "idrija", "idrija")])
def test_home_municipality_of_each_role(role, given, home):
    assert domain.home_municipality(role, given, KNOWN) == home


@pytest.mark.parametrize("colour, ok", [("#1d5e8c", True), ("#000000", True), ("#767676", True),
                                        ("#777777", False), ("#ffcc00", False), ("red", False), ("#12345", False)])
def test_accent_colours_keep_aa_contrast_with_white(colour, ok):
    from gateway import branding

    assert (branding.accent_problem(colour) is None) is ok


def test_coat_of_arms_must_be_a_small_png_or_jpeg():
    from gateway import branding

    assert branding.image_problem(b"\x89PNG\r\n\x1a\n" + b"0" * 100) is None
    assert branding.image_problem(b"\xff\xd8\xff\xe0" + b"0" * 100) is None
    assert "PNG or JPEG" in branding.image_problem(b"<svg onload='alert(1)'></svg>")
    assert "KiB" in branding.image_problem(b"\x89PNG\r\n\x1a\n" + b"0" * 300_000)
