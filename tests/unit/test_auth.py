"""Service and user tokens (services/auth.py)."""
from __future__ import annotations

import time

import jwt
import pytest

from services import auth
from services.auth import Caller
from services.errors import Unauthorized, status_for
from services.settings import reset_settings

ANA = Caller("u-1", "resident", "idrija")
STAFF = Caller("s-1", "staff", "litija")
PRIVATE, PUBLIC = auth.new_key_pair()


@pytest.fixture(autouse=True)
def settings(monkeypatch):
    # In a whole-suite run the session's platform has put its own key files in the environment.
    for name in ("CIVIC_SERVICE_SIGNING_KEY_FILE", "CIVIC_SERVICE_PUBLIC_KEY_FILE", "CIVIC_SERVICE_PUBLIC_KEY", "CIVIC_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CIVIC_SERVICE_SECRET", "unit-service-secret-0123456789abcdef")
    monkeypatch.setenv("CIVIC_SERVICE_SIGNING_KEY", PRIVATE.decode())
    monkeypatch.setenv("CIVIC_USER_SECRET", "unit-user-secret-0123456789abcdef0123")
    monkeypatch.setenv("CIVIC_SERVICE_TOKEN_TTL", "60")
    monkeypatch.setenv("CIVIC_USER_TOKEN_TTL", "3600")
    reset_settings()
    yield
    reset_settings()


def _refused(verify, token) -> Unauthorized:
    with pytest.raises(Unauthorized) as caught:
        verify(token)
    assert caught.value.code == "unauthorized"
    assert status_for(caught.value) == 401
    return caught.value


@pytest.mark.parametrize("caller", [ANA, STAFF, Caller("i-1", "institution", "ljubljana")])
def test_service_token_round_trip(caller):
    assert auth.verify_service_token(auth.service_token(caller)) == caller


@pytest.mark.parametrize("caller", [ANA, STAFF])
def test_user_token_round_trip(caller):
    assert auth.verify_user_token(auth.user_token(caller)) == caller


def test_service_token_claims():
    claims = jwt.decode(auth.service_token(ANA), PUBLIC, algorithms=["EdDSA"], audience=auth.SERVICE_AUDIENCE)
    assert jwt.get_unverified_header(auth.service_token(ANA))["alg"] == "EdDSA"
    assert claims["sub"] == "u-1" and claims["role"] == "resident" and claims["mun"] == "idrija"
    assert claims["aud"] == "civic-services"
    assert claims["exp"] - claims["iat"] == 60


def test_a_user_token_is_not_a_service_token():
    error = _refused(auth.verify_service_token, auth.user_token(ANA))
    assert error.message == "The token is not valid."


def test_a_service_token_is_not_a_user_token():
    error = _refused(auth.verify_user_token, auth.service_token(ANA))
    assert error.message == "The token is not valid."


def test_the_audience_alone_keeps_the_tokens_apart(monkeypatch):
    monkeypatch.setenv("CIVIC_USER_SECRET", "unit-service-secret-0123456789abcdef")
    reset_settings()
    _refused(auth.verify_service_token, auth.user_token(ANA))
    _refused(auth.verify_user_token, auth.service_token(ANA))


def test_the_secret_alone_keeps_the_tokens_apart():
    forged = jwt.encode({"sub": "u-1", "role": "staff", "mun": "idrija", "aud": auth.SERVICE_AUDIENCE,
                         "exp": int(time.time()) + 60}, "unit-user-secret-0123456789abcdef0123", algorithm="HS256")
    _refused(auth.verify_service_token, forged)


def test_a_token_signed_before_the_key_changed_is_refused(monkeypatch):
    token = auth.service_token(ANA)
    monkeypatch.setenv("CIVIC_SERVICE_SIGNING_KEY", auth.new_key_pair()[0].decode())
    reset_settings()
    _refused(auth.verify_service_token, token)


def _claims(**extra) -> dict:
    return {"sub": "u-1", "role": "staff", "mun": "idrija", "aud": auth.SERVICE_AUDIENCE,
            "exp": int(time.time()) + 60, **extra}


@pytest.fixture
def inner_service(monkeypatch):
    """A process configured like an inner service: the public key only."""
    monkeypatch.delenv("CIVIC_SERVICE_SIGNING_KEY")
    monkeypatch.setenv("CIVIC_SERVICE_PUBLIC_KEY", PUBLIC.decode())
    reset_settings()


def test_an_inner_service_cannot_mint_a_service_token(inner_service):
    with pytest.raises(RuntimeError, match="only the gateway"):
        auth.service_token(ANA)


def test_an_inner_service_refuses_hs256_with_the_shared_secret(inner_service):
    forged = jwt.encode(_claims(), "unit-service-secret-0123456789abcdef", algorithm="HS256")
    _refused(auth.verify_service_token, forged)


def test_an_inner_service_refuses_another_ed25519_key(inner_service):
    forged = jwt.encode(_claims(), auth.new_key_pair()[0], algorithm="EdDSA")
    _refused(auth.verify_service_token, forged)


def test_an_inner_service_refuses_the_development_key(inner_service):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forged = jwt.encode(_claims(), Ed25519PrivateKey.from_private_bytes(auth.DEV_SEED), algorithm="EdDSA")
    _refused(auth.verify_service_token, forged)


def test_an_inner_service_accepts_the_gateway_s_tokens(monkeypatch):
    token = auth.service_token(STAFF)
    monkeypatch.delenv("CIVIC_SERVICE_SIGNING_KEY")
    monkeypatch.setenv("CIVIC_SERVICE_PUBLIC_KEY", PUBLIC.decode())
    reset_settings()
    assert auth.verify_service_token(token) == STAFF


def test_an_expired_service_token_is_refused(monkeypatch):
    monkeypatch.setenv("CIVIC_SERVICE_TOKEN_TTL", "-120")
    reset_settings()
    error = _refused(auth.verify_service_token, auth.service_token(ANA))
    assert error.message == "The token has expired."


def test_an_expired_user_token_is_refused(monkeypatch):
    monkeypatch.setenv("CIVIC_USER_TOKEN_TTL", "-120")
    reset_settings()
    error = _refused(auth.verify_user_token, auth.user_token(ANA))
    assert error.message == "The token has expired."


def _later(monkeypatch, seconds: float) -> None:
    """Every clock the tokens are checked against, `seconds` ahead."""
    from datetime import datetime, timedelta

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(seconds=seconds)

    real_time, real_monotonic = time.time, time.monotonic
    monkeypatch.setattr(jwt.api_jwt, "datetime", Later)
    monkeypatch.setattr(time, "time", lambda: real_time() + seconds)
    monkeypatch.setattr(time, "monotonic", lambda: real_monotonic() + seconds)


def test_a_token_verified_before_is_refused_once_it_has_expired(monkeypatch):
    token = auth.user_token(ANA)  # valid for an hour (the fixture), remembered as verified
    assert auth.verify_user_token(token) == ANA
    _later(monkeypatch, 3700)
    assert _refused(auth.verify_user_token, token).message == "The token has expired."


def test_a_token_verified_under_one_secret_is_refused_under_another(monkeypatch):
    token = auth.user_token(ANA)
    assert auth.verify_user_token(token) == ANA
    monkeypatch.setenv("CIVIC_USER_SECRET", "another-user-secret-0123456789abcdef0123")
    reset_settings()
    assert _refused(auth.verify_user_token, token).message == "The token is not valid."


def test_a_service_token_serves_a_caller_for_a_quarter_of_its_lifetime(monkeypatch):
    first = auth.service_token(ANA)
    assert auth.service_token(ANA) == first and auth.service_token(STAFF) != first
    _later(monkeypatch, 16)  # past 60 s / 4: a fresh one, with its whole lifetime ahead
    fresh = auth.service_token(ANA)
    assert fresh != first and auth.verify_service_token(fresh) == ANA


def test_the_remembered_tokens_are_bounded(monkeypatch):
    monkeypatch.setattr(auth._verified, "most", 3)
    auth._verified.clear()
    tokens = [auth.user_token(Caller(f"u{n}", "resident", "idrija")) for n in range(5)]
    for token in tokens:
        auth.verify_user_token(token)
        assert len(auth._verified) <= 3
    assert auth.verify_user_token(tokens[0]).id == "u0"  # forgotten, verified afresh


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_malformed_tokens_are_refused(token):
    assert _refused(auth.verify_service_token, token).message == "The token is not valid."


def test_an_unsigned_token_is_refused():
    token = jwt.encode({"sub": "u-1", "role": "staff", "mun": "idrija", "aud": auth.SERVICE_AUDIENCE,
                        "exp": int(time.time()) + 60}, None, algorithm="none")
    _refused(auth.verify_service_token, token)


@pytest.mark.parametrize("missing", ["sub", "exp", "aud"])
def test_tokens_missing_a_required_claim_are_refused(missing):
    claims = {"sub": "u-1", "role": "staff", "mun": "idrija", "aud": auth.SERVICE_AUDIENCE,
              "exp": int(time.time()) + 60}
    del claims[missing]
    _refused(auth.verify_service_token, jwt.encode(claims, PRIVATE, algorithm="EdDSA"))


def test_caller_is_staff():
    assert STAFF.is_staff is True
    assert ANA.is_staff is False


def test_a_signed_token_without_role_or_municipality_is_refused():
    import time

    import jwt

    claims = {"sub": "u1", "aud": auth.SERVICE_AUDIENCE, "exp": int(time.time()) + 60}
    token = jwt.encode(claims, PRIVATE, algorithm="EdDSA")
    with pytest.raises(Unauthorized):
        auth.verify_service_token(token)


def test_production_refuses_development_secrets(monkeypatch):
    from services import settings as settings_module

    monkeypatch.setenv("CIVIC_ENV", "production")
    monkeypatch.setenv("CIVIC_SERVICE_SECRET", "dev-service-secret-change-me-in-production")
    monkeypatch.setenv("CIVIC_PASSWORD_METHOD", "scrypt:32768:8:1")  # the test platform's is cheaper
    settings_module.reset_settings()
    with pytest.raises(RuntimeError, match="CIVIC_SERVICE_SECRET"):
        settings_module.get_settings()
    for name in ("SERVICE", "USER", "INSTITUTION"):
        monkeypatch.setenv(f"CIVIC_{name}_SECRET", f"{name.lower()}-" + "x" * 40)
    monkeypatch.delenv("CIVIC_SERVICE_SIGNING_KEY")
    settings_module.reset_settings()
    with pytest.raises(RuntimeError, match="no service token key"):
        settings_module.get_settings()
    monkeypatch.setenv("CIVIC_SERVICE_PUBLIC_KEY_FILE", "/run/secrets/service-tokens.pub.pem")
    settings_module.reset_settings()
    assert settings_module.get_settings().env == "production"
    monkeypatch.delenv("CIVIC_ENV")
    settings_module.reset_settings()


def test_a_page_session_is_renewed_once_half_its_token_s_lifetime_is_spent():
    """WCAG 2.2.1: no time limit for people who keep using the pages (gateway.pages.session)."""
    from gateway.pages.session import half_spent

    fresh = auth.user_token(ANA)
    settings = auth.get_settings()
    aged = jwt.encode({"sub": ANA.id, "role": ANA.role, "mun": ANA.municipality, "aud": auth.USER_AUDIENCE,
                       "iat": int(time.time()) - 1801, "exp": int(time.time()) + 1799},
                      settings.user_secret, algorithm="HS256")
    assert not half_spent(fresh) and half_spent(aged)
