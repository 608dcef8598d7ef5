"""Password hashing cost: set by configuration, kept in each hash, never cheap in production."""
import pytest
from werkzeug.security import generate_password_hash

from services.settings import Settings, check_production

STRONG = {"service_secret": "s" * 40, "user_secret": "u" * 40, "institution_secret": "i" * 40,
          "service_public_key_file": "/run/secrets/service-tokens.pub.pem"}


def test_the_method_is_configurable_and_old_hashes_still_verify(monkeypatch):
    from gateway import passwords
    from services import settings

    monkeypatch.setenv("CIVIC_PASSWORD_METHOD", "scrypt:1024:8:1")
    settings.reset_settings()
    try:
        cheap = passwords.hash_password("correct horse 1")
        assert cheap.startswith("scrypt:1024:8:1$")
        older = generate_password_hash("correct horse 1", method="scrypt:32768:8:1")
        assert passwords.check_password_hash(older, "correct horse 1")  # made at another cost
        assert passwords.check_password_hash(cheap, "correct horse 1")
        assert not passwords.check_password_hash(cheap, "correct horse 2")
    finally:
        monkeypatch.undo()  # the session's own setting back, before the settings are read again
        settings.reset_settings()


@pytest.mark.parametrize("method", ["scrypt:1024:8:1", "scrypt:32768:1:1", "pbkdf2:sha256:1000", "scrypt:x"])
def test_production_refuses_a_cheaper_method(method):
    with pytest.raises(RuntimeError, match="CIVIC_PASSWORD_METHOD"):
        check_production(Settings(env="production", password_method=method, **STRONG))


@pytest.mark.parametrize("method", ["scrypt:32768:8:1", "scrypt:65536:8:1", "scrypt"])
def test_production_accepts_the_default_cost_or_more(method):
    check_production(Settings(env="production", password_method=method, **STRONG))
