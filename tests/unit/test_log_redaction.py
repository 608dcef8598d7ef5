"""The tokens of e-mailed links (a password reset, an unsubscribe link) never reach a log line."""
from __future__ import annotations

import json
import logging

from services.logs import JsonFormatter, redact

TOKEN = "Zk3_fQ9-abcdefghijklmnopqrstuvwxyz0123456"


def test_an_access_log_line_keeps_the_path_and_loses_the_token():
    line = (f'127.0.0.1 - - "GET /password-reset/{TOKEN}?lang=en HTTP/1.1" 200 "http://civic.example'
            f'/unsubscribe/{TOKEN}" "Mozilla"')
    cleaned = redact(line)
    assert TOKEN not in cleaned
    assert "/password-reset/[redacted]?lang=en" in cleaned and "/unsubscribe/[redacted]" in cleaned


def test_other_paths_are_left_as_they_are():
    for text in ("POST /api/v1/auth/password-reset/new-password HTTP/1.1", "GET /password-reset HTTP/1.1",
                 "GET /m/idrija/proposals/0123456789abcdef HTTP/1.1"):
        assert redact(text) == text


def test_the_json_formatter_redacts_the_message_and_the_traceback():
    try:
        raise ValueError(f"no such link /password-reset/{TOKEN}")
    except ValueError:
        import sys

        record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "GET /unsubscribe/%s", (TOKEN,),
                                   sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert TOKEN not in json.dumps(line) and line["message"] == "GET /unsubscribe/[redacted]"
