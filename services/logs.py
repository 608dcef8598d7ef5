"""Structured logs: one JSON object per line, the same shape in every API process and worker.

Each line names the service, level, logger and message, and, while an event is being handled
(the consumer loop) or published (the outbox relay), its correlation_id, event_id, event_type and
aggregate_id (a proposal's id, say); during an HTTP request, its request id (the caller's
X-Request-Id, or one made up). One story through the platform is then
`grep <correlation_id> var/log/*.log`, and one proposal's whole path `grep <proposal id>`.
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

_service = "civic"
_event: contextvars.ContextVar[dict | None] = contextvars.ContextVar("civic_event", default=None)
EVENT_FIELDS = ("correlation_id", "event_id", "event_type", "aggregate_id")
REQUEST_ID_HEADER = "X-Request-Id"
# The tokens in links sent by e-mail (choosing a new password, unsubscribing) are secrets: an access
# log line of such a page, or of a page it referred to, keeps the path and loses the token.
_EMAILED_LINK = re.compile(r"(/(?:password-reset|unsubscribe)/)(?!new-password\b)[A-Za-z0-9_.~%-]{8,}")


def redact(text: str) -> str:
    """`text` without the tokens of e-mailed links."""
    return _EMAILED_LINK.sub(r"\1[redacted]", text)


@contextlib.contextmanager
def event_context(event: dict):
    """Every line logged inside names `event` (its correlation id, id and type)."""
    token = _event.set({name: event.get(name) for name in EVENT_FIELDS})
    try:
        yield
    finally:
        _event.reset(token)


def request_id() -> str | None:
    """The current HTTP request's id (kept for the request), or None outside a request."""
    try:
        from flask import g, has_request_context, request
    except ImportError:  # pragma: no cover - flask is a dependency of every service
        return None
    if not has_request_context():
        return None
    if "request_id" not in g:
        sent = (request.headers.get(REQUEST_ID_HEADER) or "")[:64]
        g.request_id = sent if sent.replace("-", "").isalnum() else uuid.uuid4().hex
    return g.request_id


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object (no newline inside: tracebacks are a field)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "service": _service, "level": record.levelname, "logger": record.name,
                "message": redact(record.getMessage())}
        line.update({k: v for k, v in (_event.get() or {}).items() if v})
        rid = request_id()
        if rid:
            line["request_id"] = rid
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(service: str, level: str | int = "INFO") -> None:
    """Log JSON lines for `service` to stderr from the root logger (kafka-python: warnings only)."""
    global _service
    _service = service
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("kafka").setLevel(logging.WARNING)
    logging.captureWarnings(True)  # Python's warnings as log lines too, not bare text on stderr


def use_json(logger_names: tuple[str, ...], service: str) -> None:
    """Give loggers configured elsewhere (gunicorn's) the JSON formatter."""
    global _service
    _service = service
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(JsonFormatter())
