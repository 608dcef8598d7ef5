"""Prometheus metrics shared by every service (multiprocess-safe under gunicorn)."""
from __future__ import annotations

import os

from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest, multiprocess)

EVENTS_CONSUMED = Counter("civic_events_consumed_total", "Events handled by consumers",
                          ["service", "event_type", "result"])
EVENTS_PUBLISHED = Counter("civic_events_published_total", "Events published by the outbox relay",
                           ["service"])
DEAD_LETTERS = Counter("civic_dead_letters_total", "Messages parked on a dead-letter topic",
                       ["service", "topic"])
OVERSIZE_MESSAGES = Counter("civic_oversize_messages_total",
                            "Messages over CIVIC_MAX_MESSAGE_BYTES, parked instead of handled",
                            ["service", "topic"])
OUTBOX_PARKED = Counter("civic_outbox_parked_total",
                        "Outbox events the broker cannot take, set aside for operators (alert on any)",
                        ["service", "reason"])
OUTBOX_PENDING = Gauge("civic_outbox_pending", "Outbox events not yet published", ["service"],
                       multiprocess_mode="max")
OUTBOX_OLDEST_AGE = Gauge("civic_outbox_oldest_age_seconds",
                          "Age of the oldest outbox event not yet published (0 when none waits)", ["service"],
                          multiprocess_mode="max")
# Set by the consumer loop from what it fetched: the partition's high-water mark minus the
# consumer's position. A stalled worker stops updating it, hence the last-poll timestamp beside it
# (alert when it grows old) and `civic status`, which measures lag from the broker itself.
CONSUMER_LAG = Gauge("civic_consumer_lag", "Messages of a partition the service's consumer has not read yet",
                     ["service", "topic", "partition"], multiprocess_mode="max")
CONSUMER_LAST_POLL = Gauge("civic_consumer_last_poll_timestamp_seconds",
                           "When the service's consumer loop last polled the broker (Unix time)", ["service"],
                           multiprocess_mode="max")
REPLIES_OVERDUE = Gauge("civic_replies_overdue", "Dossiers whose institution's reply is past its deadline",
                        multiprocess_mode="max")
BREAKERS_OPEN = Gauge("civic_breakers_open", "Institutions whose delivery circuit breaker is open",
                      multiprocess_mode="max")
HTTP_REQUESTS = Histogram("civic_http_request_seconds", "HTTP request latency",
                          ["service", "method", "endpoint", "status"])
TALLY_MISMATCH = Counter("civic_tally_mismatch_total",
                         "Final tallies that did not match the live projection", ["service"])
DISPATCHES = Counter("civic_dispatch_attempts_total", "Dossier dispatch attempts", ["result"])
BALLOT_GROUPS = Histogram("civic_ballot_group_size", "Ballots committed together in one transaction (group commit)",
                          buckets=(1, 2, 4, 8, 16, 32, 64))
DB_COMMANDS = Counter("civic_db_commands_total", "Database commands sent (round trips), by process and command",
                      ["service", "part", "command"])
MAILS = Counter("civic_mails_total", "E-mails handed to the SMTP server", ["result"])


def exposition() -> tuple[bytes, str]:
    """The metrics page: every process of this service when multiprocess mode is on."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
