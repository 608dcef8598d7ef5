"""The operations view without a platform: a part that cannot answer is down, and says why; the
table `civic status` prints names every part, its lag, the dead letters and forwarding's figures.
And the JSON log lines carry the event being handled."""
from __future__ import annotations

import json
import logging

from services import logs
from services.settings import SERVICES
from services.status import gather, render_text


def _document(service: str) -> dict:
    return {"service": service, "ok": True, "checks": {"api": True, "database": True, "broker": True,
                                                      "worker": True},
            "outbox": {"pending": 2, "oldest_age_seconds": 1.5, "parked": 0},
            "consumer": {"group": f"{service}-worker", "lag": 7,
                         "topics": {"civic.proposals": {"lag": 7, "partitions": {"0": 7, "1": 0}}}},
            "dead_letters": {"civic.proposals.dlq": 3},
            "figures": {"breakers_open": ["mddsz"], "dispatches_failing": 1} if service == "forwarding" else {},
            "errors": []}


def test_a_part_that_cannot_answer_is_down_and_the_platform_is_not_ok():
    def fetch(service):
        if service == "voting":
            raise RuntimeError("The voting service is not reachable; try again in a moment.")
        return _document(service)

    status = gather(fetch)
    assert not status["ok"]
    assert [p["service"] for p in status["parts"]] == list(SERVICES)
    voting = next(p for p in status["parts"] if p["service"] == "voting")
    assert voting["ok"] is False and voting["checks"]["api"] is False and "not reachable" in voting["errors"][0]
    assert status["dead_letters"] == {"civic.proposals.dlq": 3}
    text = render_text(status)
    assert "DOWN" in text and "Some parts are DOWN." in text and "not reachable" in text
    assert "forwarding-worker" in text and "0:7 1:0" in text and "breakers open mddsz" in text


def test_all_parts_up():
    status = gather(_document)
    assert status["ok"] and render_text(status).endswith("All parts are up.")


def test_a_log_line_is_one_json_object_naming_the_event():
    record = logging.LogRecord("services.bus", logging.WARNING, __file__, 1, "failed on %s", ("x",), None)
    event = {"event_id": "e-1", "event_type": "proposals.proposal_published", "correlation_id": "c-1",
             "aggregate_id": "p-1", "payload": {"title": "not logged"}}
    formatter = logs.JsonFormatter()
    with logs.event_context(event):
        inside = json.loads(formatter.format(record))
    outside = json.loads(formatter.format(record))
    assert inside["message"] == "failed on x" and inside["level"] == "WARNING"
    assert {k: inside[k] for k in ("correlation_id", "event_id", "event_type", "aggregate_id")} == {
        "correlation_id": "c-1", "event_id": "e-1", "event_type": "proposals.proposal_published",
        "aggregate_id": "p-1"}
    assert "payload" not in inside and "correlation_id" not in outside
    try:
        raise ValueError("boom")
    except ValueError:
        import sys
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert "\n" not in line and "ValueError: boom" in json.loads(line)["exception"]
