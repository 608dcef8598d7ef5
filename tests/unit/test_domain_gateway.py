"""Pure rules of accounts (gateway/domain.py)."""
from __future__ import annotations

import pytest

from gateway import domain
from services.errors import DomainError, status_for

SHORT = "Use at least 10 characters."
MIX = "Mix letters with digits or symbols."


@pytest.mark.parametrize("password", [
    "test-password-42", "abcdefghi1", "1234567890a", "correct horse", "čšžčšžčšž-", "!!!!!!!!!!",
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
