"""Configuration, read once from environment variables with defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

SERVICES = ("proposals", "voting", "forwarding", "notifications", "gateway")


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    """Every setting of the platform; one instance per process (see `get_settings`)."""

    env: str = field(default_factory=lambda: _env("CIVIC_ENV", "development"))  # or "production"
    kafka_bootstrap: str = field(default_factory=lambda: _env("CIVIC_KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
    topic_prefix: str = field(default_factory=lambda: _env("CIVIC_TOPIC_PREFIX", "civic."))
    topic_partitions: int = field(default_factory=lambda: int(_env("CIVIC_TOPIC_PARTITIONS", "3")))
    mongo_uri: str = field(default_factory=lambda: _env("CIVIC_MONGO_URI", "mongodb://127.0.0.1:27017/?directConnection=true"))
    db_prefix: str = field(default_factory=lambda: _env("CIVIC_DB_PREFIX", "civic_"))
    smtp_host: str = field(default_factory=lambda: _env("CIVIC_SMTP_HOST", "127.0.0.1"))
    smtp_port: int = field(default_factory=lambda: int(_env("CIVIC_SMTP_PORT", "8025")))
    mail_from: str = field(default_factory=lambda: _env("CIVIC_MAIL_FROM", "Civic platform <no-reply@civic.local>"))
    service_secret: str = field(default_factory=lambda: _env("CIVIC_SERVICE_SECRET", "dev-service-secret-change-me-in-production"))
    user_secret: str = field(default_factory=lambda: _env("CIVIC_USER_SECRET", "dev-user-secret-change-me-in-production"))
    service_token_ttl: int = field(default_factory=lambda: int(_env("CIVIC_SERVICE_TOKEN_TTL", "60")))
    user_token_ttl: int = field(default_factory=lambda: int(_env("CIVIC_USER_TOKEN_TTL", "43200")))
    max_body_bytes: int = field(default_factory=lambda: int(_env("CIVIC_MAX_BODY_BYTES", str(256 * 1024))))
    proposals_url: str = field(default_factory=lambda: _env("CIVIC_PROPOSALS_URL", "http://127.0.0.1:8081"))
    voting_url: str = field(default_factory=lambda: _env("CIVIC_VOTING_URL", "http://127.0.0.1:8082"))
    forwarding_url: str = field(default_factory=lambda: _env("CIVIC_FORWARDING_URL", "http://127.0.0.1:8083"))
    notifications_url: str = field(default_factory=lambda: _env("CIVIC_NOTIFICATIONS_URL", "http://127.0.0.1:8084"))
    gateway_url: str = field(default_factory=lambda: _env("CIVIC_GATEWAY_URL", "http://127.0.0.1:8080"))
    institution_url: str = field(default_factory=lambda: _env("CIVIC_INSTITUTION_URL", "http://127.0.0.1:8090"))
    institution_secret: str = field(default_factory=lambda: _env("CIVIC_INSTITUTION_SECRET", "dev-institution-secret"))
    eligibility_rule: str = field(default_factory=lambda: _env("CIVIC_ELIGIBILITY_RULE", "register_birth_date"))
    verification_attempts_per_hour: int = field(default_factory=lambda: int(_env("CIVIC_VERIFICATION_ATTEMPTS_PER_HOUR", "10")))
    comment_edit_minutes: int = field(default_factory=lambda: int(_env("CIVIC_COMMENT_EDIT_MINUTES", "15")))
    vote_quorum: int = field(default_factory=lambda: int(_env("CIVIC_VOTE_QUORUM", "1")))
    dispatch_max_attempts: int = field(default_factory=lambda: int(_env("CIVIC_DISPATCH_MAX_ATTEMPTS", "6")))
    dispatch_backoff_seconds: float = field(default_factory=lambda: float(_env("CIVIC_DISPATCH_BACKOFF_SECONDS", "1.0")))
    dispatch_timeout_seconds: float = field(default_factory=lambda: float(_env("CIVIC_DISPATCH_TIMEOUT_SECONDS", "10")))
    test_clock: bool = field(default_factory=lambda: _env("CIVIC_TEST_CLOCK", "0") == "1")
    breaker_threshold: int = field(default_factory=lambda: int(_env("CIVIC_BREAKER_THRESHOLD", "5")))
    breaker_cooldown_seconds: float = field(default_factory=lambda: float(_env("CIVIC_BREAKER_COOLDOWN_SECONDS", "60")))
    reminder_days_before: int = field(default_factory=lambda: int(_env("CIVIC_REMINDER_DAYS_BEFORE", "5")))
    escalation_days: int = field(default_factory=lambda: int(_env("CIVIC_ESCALATION_DAYS", "14")))
    pdf_font: str = field(default_factory=lambda: _env("CIVIC_PDF_FONT", ""))
    relay_interval_seconds: float = field(default_factory=lambda: float(_env("CIVIC_RELAY_INTERVAL_SECONDS", "0.05")))
    consumer_max_retries: int = field(default_factory=lambda: int(_env("CIVIC_CONSUMER_MAX_RETRIES", "3")))
    worker_metrics_port: int = field(default_factory=lambda: int(_env("CIVIC_WORKER_METRICS_PORT", "0")))
    log_level: str = field(default_factory=lambda: _env("CIVIC_LOG_LEVEL", "INFO"))

    def topic(self, service: str) -> str:
        """The Kafka topic a service publishes to."""
        return f"{self.topic_prefix}{service}"

    def database(self, service: str) -> str:
        """The MongoDB database a service owns."""
        return f"{self.db_prefix}{service}"

    def service_url(self, service: str) -> str:
        """Base URL of a service's internal API."""
        return getattr(self, f"{service}_url")


DEV_SECRETS = {"dev-service-secret-change-me-in-production", "dev-user-secret-change-me-in-production",
               "dev-institution-secret"}


def check_production(settings: Settings) -> None:
    """Refuse to run in production (CIVIC_ENV=production) on the development secrets."""
    if settings.env == "production":
        weak = [name for name in ("service_secret", "user_secret", "institution_secret")
                if getattr(settings, name) in DEV_SECRETS or len(getattr(settings, name)) < 32]
        if weak:
            raise RuntimeError(f"CIVIC_ENV=production but these secrets are development defaults or "
                               f"shorter than 32 characters: {', '.join('CIVIC_' + w.upper() for w in weak)}")


_settings: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    global _settings
    if _settings is None:
        _settings = Settings()
        check_production(_settings)
    return _settings


def reset_settings() -> None:
    """Forget cached settings (tests and the launcher change the environment)."""
    global _settings
    _settings = None
