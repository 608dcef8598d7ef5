"""Configuration, read once from environment variables with defaults."""
from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

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
    # How long a database call may take before the caller gives up (a server down or stalled): an API
    # then answers 503 with Retry-After instead of hanging, and a worker waits and tries again.
    db_select_timeout_ms: int = field(default_factory=lambda: int(_env("CIVIC_DB_SELECT_TIMEOUT_MS", "3000")))
    db_socket_timeout_ms: int = field(default_factory=lambda: int(_env("CIVIC_DB_SOCKET_TIMEOUT_MS", "10000")))
    retry_after_seconds: int = field(default_factory=lambda: int(_env("CIVIC_RETRY_AFTER_SECONDS", "5")))
    db_prefix: str = field(default_factory=lambda: _env("CIVIC_DB_PREFIX", "civic_"))
    smtp_host: str = field(default_factory=lambda: _env("CIVIC_SMTP_HOST", "127.0.0.1"))
    smtp_port: int = field(default_factory=lambda: int(_env("CIVIC_SMTP_PORT", "8025")))
    mail_from: str = field(default_factory=lambda: _env("CIVIC_MAIL_FROM", "Civic platform <no-reply@civic.local>"))
    service_secret: str = field(default_factory=lambda: _env("CIVIC_SERVICE_SECRET", "dev-service-secret-change-me-in-production"))
    user_secret: str = field(default_factory=lambda: _env("CIVIC_USER_SECRET", "dev-user-secret-change-me-in-production"))
    # Service tokens are EdDSA (Ed25519): only the gateway holds the private key and mints them; inner
    # services hold only the public key. Each as PEM text, or as the path of a PEM file (the _FILE
    # setting, read when the text is empty). CIVIC_SERVICE_SECRET no longer signs tokens (docs/security.md).
    service_signing_key: str = field(default_factory=lambda: _env("CIVIC_SERVICE_SIGNING_KEY", ""))
    service_signing_key_file: str = field(default_factory=lambda: _env("CIVIC_SERVICE_SIGNING_KEY_FILE", ""))
    service_public_key: str = field(default_factory=lambda: _env("CIVIC_SERVICE_PUBLIC_KEY", ""))
    service_public_key_file: str = field(default_factory=lambda: _env("CIVIC_SERVICE_PUBLIC_KEY_FILE", ""))
    # Where forwarding keeps the municipalities' private dossier-signing keys as <key id>.pem files
    # (mode 0600); empty: in its database, beside the public keys (the local default).
    signing_key_dir: str = field(default_factory=lambda: _env("CIVIC_SIGNING_KEY_DIR", ""))
    service_token_ttl: int = field(default_factory=lambda: int(_env("CIVIC_SERVICE_TOKEN_TTL", "60")))
    user_token_ttl: int = field(default_factory=lambda: int(_env("CIVIC_USER_TOKEN_TTL", "43200")))
    max_body_bytes: int = field(default_factory=lambda: int(_env("CIVIC_MAX_BODY_BYTES", str(256 * 1024))))
    # The largest Kafka message (key + value + headers) the platform publishes or handles; keep it
    # at or below the broker's message.max.bytes (Kafka's default is 1048588).
    max_message_bytes: int = field(default_factory=lambda: int(_env("CIVIC_MAX_MESSAGE_BYTES", "1000000")))
    proposals_url: str = field(default_factory=lambda: _env("CIVIC_PROPOSALS_URL", "http://127.0.0.1:8081"))
    voting_url: str = field(default_factory=lambda: _env("CIVIC_VOTING_URL", "http://127.0.0.1:8082"))
    forwarding_url: str = field(default_factory=lambda: _env("CIVIC_FORWARDING_URL", "http://127.0.0.1:8083"))
    notifications_url: str = field(default_factory=lambda: _env("CIVIC_NOTIFICATIONS_URL", "http://127.0.0.1:8084"))
    gateway_url: str = field(default_factory=lambda: _env("CIVIC_GATEWAY_URL", "http://127.0.0.1:8080"))
    institution_url: str = field(default_factory=lambda: _env("CIVIC_INSTITUTION_URL", "http://127.0.0.1:8090"))
    institution_secret: str = field(default_factory=lambda: _env("CIVIC_INSTITUTION_SECRET", "dev-institution-secret"))
    eligibility_rule: str = field(default_factory=lambda: _env("CIVIC_ELIGIBILITY_RULE", "register_birth_date"))
    verification_attempts_per_hour: int = field(default_factory=lambda: int(_env("CIVIC_VERIFICATION_ATTEMPTS_PER_HOUR", "10")))
    # Abuse brakes (issue 8); 0 turns a limit off. Failed verifications per register reference,
    # whichever accounts try, over a window of hours; staff are alerted when a reference reaches it.
    verification_failures_per_reference: int = field(default_factory=lambda: int(_env("CIVIC_VERIFICATION_FAILURES_PER_REFERENCE", "5")))
    verification_reference_window_hours: int = field(default_factory=lambda: int(_env("CIVIC_VERIFICATION_REFERENCE_WINDOW_HOURS", "24")))
    registrations_per_hour: int = field(default_factory=lambda: int(_env("CIVIC_REGISTRATIONS_PER_HOUR", "20")))  # per client address
    reports_per_hour: int = field(default_factory=lambda: int(_env("CIVIC_REPORTS_PER_HOUR", "10")))  # per account
    # Session cookies only over https ("Secure"); the local platform (plain http) turns it off.
    secure_cookies: bool = field(default_factory=lambda: _env("CIVIC_SECURE_COOKIES", "1") != "0")
    # The bearer token Prometheus sends to scrape the gateway's /metrics; unset: it answers 404.
    metrics_token: str = field(default_factory=lambda: _env("CIVIC_METRICS_TOKEN", ""))
    # Abuse limits on residents' writes (issue 16), per hour, "kind=per_account/per_address,..."
    # over WRITE_LIMITS below ("*=" sets every kind); municipalities may override each (gateway.abuse).
    write_limits: str = field(default_factory=lambda: _env("CIVIC_WRITE_LIMITS", ""))
    # Failed sign-ins: after this many from one address for one account (or from one address for
    # any), each further one waits a delay that doubles from sign_in_delay_seconds (up to an hour).
    sign_in_failures_per_account: int = field(default_factory=lambda: int(_env("CIVIC_SIGN_IN_FAILURES_PER_ACCOUNT", "5")))
    sign_in_failures_per_address: int = field(default_factory=lambda: int(_env("CIVIC_SIGN_IN_FAILURES_PER_ADDRESS", "30")))
    sign_in_delay_seconds: float = field(default_factory=lambda: float(_env("CIVIC_SIGN_IN_DELAY_SECONDS", "30")))
    # Failed sign-ins on one account (from anywhere) within 15 minutes that mail its owner, once.
    sign_in_burst: int = field(default_factory=lambda: int(_env("CIVIC_SIGN_IN_BURST", "10")))
    # Proxy hops in front of the gateway whose X-Forwarded-For (and -Proto) are believed: 0 = none.
    trusted_proxies: int = field(default_factory=lambda: int(_env("CIVIC_TRUSTED_PROXIES", "0")))
    # How often a person who chose "daily" for some kinds gets their summary (tests use seconds' worth).
    digest_hours: float = field(default_factory=lambda: float(_env("CIVIC_DIGEST_HOURS", "24")))
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
    # how long an event may wait for one it depends on (read from another topic) before it is parked
    consumer_wait_seconds: float = field(default_factory=lambda: float(_env("CIVIC_CONSUMER_WAIT_SECONDS", "120")))
    # Static group membership (Kafka's group.instance.id): a worker that restarts under the same id
    # takes its partitions back at once (0.9 s on Kafka, against 5.6 s without). "auto":
    # <service>-worker@<host> (one worker per service and host); any other text: that id, suffixed with
    # the service; "off" (the default for now): dynamic membership. Off because in one loaded run a
    # static member whose session had expired (its process stopped for 30 s) spun in kafka-python's
    # coordinator lookup and never consumed again; dynamic members rejoin after the same fault.
    consumer_instance_id: str = field(default_factory=lambda: _env("CIVIC_CONSUMER_INSTANCE_ID", "off"))
    worker_metrics_port: int = field(default_factory=lambda: int(_env("CIVIC_WORKER_METRICS_PORT", "0")))
    slow_command_ms: float = field(default_factory=lambda: float(_env("CIVIC_SLOW_COMMAND_MS", "500")))  # 0: off
    password_method: str = field(default_factory=lambda: _env("CIVIC_PASSWORD_METHOD", STRONG_PASSWORD_METHOD))
    log_level: str = field(default_factory=lambda: _env("CIVIC_LOG_LEVEL", "INFO"))
    # Machine translation of institutions' replies (off when empty; "libretranslate" speaks its /translate)
    translation_provider: str = field(default_factory=lambda: _env("CIVIC_TRANSLATION_PROVIDER", ""))
    translation_url: str = field(default_factory=lambda: _env("CIVIC_TRANSLATION_URL", ""))
    translation_api_key: str = field(default_factory=lambda: _env("CIVIC_TRANSLATION_API_KEY", ""))
    translation_timeout_seconds: float = field(default_factory=lambda: float(_env("CIVIC_TRANSLATION_TIMEOUT_SECONDS", "10")))
    # Where residents report an accessibility problem (the accessibility statement, /accessibility)
    accessibility_contact: str = field(default_factory=lambda: _env("CIVIC_ACCESSIBILITY_CONTACT", "dostopnost@civic.local"))
    translation_mail_wait_seconds: float = field(default_factory=lambda: float(_env("CIVIC_TRANSLATION_MAIL_WAIT_SECONDS", "30")))

    def topic(self, service: str) -> str:
        """The Kafka topic a service publishes to."""
        return f"{self.topic_prefix}{service}"

    def database(self, service: str) -> str:
        """The MongoDB database a service owns."""
        return f"{self.db_prefix}{service}"

    def service_url(self, service: str) -> str:
        """Base URL of a service's internal API."""
        return getattr(self, f"{service}_url")


STRONG_PASSWORD_METHOD = "scrypt:32768:8:1"  # werkzeug's default: scrypt with N=2**15, r=8, p=1
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
        if not (settings.service_public_key or settings.service_public_key_file
                or settings.service_signing_key or settings.service_signing_key_file):
            raise RuntimeError("CIVIC_ENV=production but no service token key is set: the gateway needs "
                               "CIVIC_SERVICE_SIGNING_KEY_FILE, the other services CIVIC_SERVICE_PUBLIC_KEY_FILE")
        if not _strong_enough(settings.password_method):
            raise RuntimeError(f"CIVIC_ENV=production but CIVIC_PASSWORD_METHOD={settings.password_method} is "
                               f"cheaper than {STRONG_PASSWORD_METHOD}")


def _strong_enough(method: str) -> bool:
    name, _, cost = method.partition(":")
    try:
        n, r, p = (int(x) for x in (cost or "32768:8:1").split(":"))
    except ValueError:
        return False
    return name == "scrypt" and n >= 32768 and r >= 8 and p >= 1


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


# -- the file `civic run` leaves for the commands run beside it ------------------
PLATFORM_ENV = "CIVIC_PLATFORM_ENV"  # names the file explicitly; the one CIVIC_* variable that is no setting
ENV_FILE_PID = "# civic run pid "


def write_env_file(path: Path, values: dict[str, str], pid: int) -> None:
    """Write `values` as KEY='value' lines (shell-sourceable), readable by the owner only."""
    lines = [f"{ENV_FILE_PID}{pid}: settings for the civic commands run beside it; removed when it stops."]
    lines += [f"{key}={shlex.quote(value)}" for key, value in sorted(values.items())]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)  # also when the file was there before


def read_env_file(path: Path) -> tuple[dict[str, str], int | None]:
    """The CIVIC_* values of an env file, and the pid of the `civic run` that wrote it."""
    values, pid = {}, None
    for line in path.read_text().splitlines():
        if line.startswith(ENV_FILE_PID):
            pid = int(line[len(ENV_FILE_PID):].split(":", 1)[0])
        elif "=" in line and not line.lstrip().startswith("#"):
            key, raw = line.split("=", 1)
            if key.strip().startswith("CIVIC_"):
                values[key.strip()] = " ".join(shlex.split(raw))
    return values, pid


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def load_platform_env() -> tuple[Path | None, str]:
    """With no CIVIC_* setting in the environment, take those of the `civic run` beside us.

    Looks at $CIVIC_PLATFORM_ENV, else ./var/platform.env, else var/platform.env in the project.
    Returns the file used (or None) and one line saying what happened, for stderr."""
    if any(key.startswith("CIVIC_") and key != PLATFORM_ENV for key in os.environ):
        return None, ""
    named = os.environ.get(PLATFORM_ENV)
    root = Path(__file__).resolve().parents[1]
    candidates = [Path(named)] if named else [Path.cwd() / "var" / "platform.env", root / "var" / "platform.env"]
    notes = []
    for path in dict.fromkeys(p.resolve() for p in candidates):
        if not path.is_file():
            continue
        values, pid = read_env_file(path)
        if pid is not None and not _running(pid):
            notes.append(f"ignored {path}: the civic run that wrote it (pid {pid}) is gone")
            continue
        os.environ.update(values)
        reset_settings()
        return path, f"civic: settings from {path} (written by civic run, pid {pid})"
    if named and not notes:
        notes.append(f"{PLATFORM_ENV}={named}: no such file")
    return None, "civic: " + "; ".join(notes) if notes else ""
