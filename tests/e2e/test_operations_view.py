"""The operations view (issue 10, part 3): `civic status`, GET /api/v1/operations/status and the
operator page show a stalled worker's lag within a minute, and the lag drains once it runs again;
the status is for operators only; JSON logs follow one proposal across services by grep."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymongo
import pytest
import requests

from services.settings import get_settings
from tests.e2e.test_pages import sign_in
from tests.support import Client, operator_of, poll, published_for_voting, register, staff_of

ROOT = Path(__file__).resolve().parents[2]
LAG_CELL = re.compile(r'<th scope="row">voting</th>.*?data-lag="(\d*)"', re.S)


def civic_status(platform) -> tuple[int, dict]:
    """`civic status --json` beside the platform, as an operator runs it: (exit code, document)."""
    run = subprocess.run([sys.executable, "-m", "services.cli", "status", "--json"], capture_output=True,
                         text=True, timeout=90, cwd=ROOT, env={**os.environ, **platform.environment()})
    assert run.stdout, run.stderr
    return run.returncode, json.loads(run.stdout)


def part(document: dict, service: str) -> dict:
    return next(p for p in document["parts"] if p["service"] == service)


def proposals_lag(document: dict, service: str = "voting") -> int | None:
    """How far `service`'s consumer group is behind on the proposals topic."""
    topics = (part(document, service).get("consumer") or {}).get("topics") or {}
    return (topics.get(get_settings().topic("proposals")) or {}).get("lag")


def test_a_stalled_worker_shows_its_lag_within_a_minute_and_it_drains(platform, gateway):
    operator, resident = operator_of(gateway), register(gateway)
    code, document = poll(lambda: (found := civic_status(platform))[0] == 0
                          and proposals_lag(found[1]) == 0 and found, 90, "a healthy platform with no lag")
    assert {p["service"] for p in document["parts"]} == {"proposals", "voting", "forwarding", "notifications",
                                                          "gateway"}
    assert all(p["checks"] == {"api": True, "database": True, "broker": True, "worker": True}
               for p in document["parts"]), document
    table = subprocess.run([sys.executable, "-m", "services.cli", "status"], capture_output=True, text=True,
                           timeout=90, cwd=ROOT, env={**os.environ, **platform.environment()})
    print(table.stdout)
    assert table.returncode == 0 and "All parts are up." in table.stdout, table.stdout + table.stderr
    assert "voting-worker" in table.stdout and get_settings().topic("proposals") in table.stdout
    worker = platform.procs["voting-worker"]
    os.kill(worker.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        for n in range(3):
            resident.submit(title=f"Stalled worker {n}")
        code, document = poll(lambda: (found := civic_status(platform)) and (proposals_lag(found[1]) or 0) >= 3
                              and found, 60, "civic status to show voting's lag")
        print(f"civic status showed a lag of {proposals_lag(document)} after {time.monotonic() - started:.1f}s")
        answer = operator.get("/operations/status")
        assert answer.status_code == 200, answer.text
        assert proposals_lag(answer.json()) >= 3
        page = sign_in(gateway, operator.email).get(f"{gateway}/operator/status", timeout=60)
        assert page.status_code == 200, page.text[:500]
        assert int(LAG_CELL.search(page.text).group(1)) >= 3, page.text[:2000]
        # Not heard of for 30 s, the worker is down, and `civic status` says so in its exit code.
        code, document = poll(lambda: (found := civic_status(platform))[0] != 0 and found, 60,
                              "civic status to report the stopped worker down")
        assert part(document, "voting")["checks"]["worker"] is False and not document["ok"]
    finally:
        os.kill(worker.pid, signal.SIGCONT)
    code, document = poll(lambda: (found := civic_status(platform))[0] == 0 and proposals_lag(found[1]) == 0
                          and found, 90, "voting's lag to drain once its worker runs again")
    assert document["ok"]


def test_the_status_is_for_operators_only(platform, gateway):
    resident, staff = register(gateway), staff_of(gateway)
    assert Client(gateway).get("/operations/status").status_code == 401
    for client in (resident, staff):
        answer = client.get("/operations/status")
        assert answer.status_code == 403 and answer.json()["code"] == "role", answer.text
    assert requests.get(f"{platform.url('voting')}/api/status", timeout=10).status_code == 401
    assert requests.get(f"{gateway}/api/status", timeout=10).status_code == 401
    page = sign_in(gateway, staff.email).get(f"{gateway}/operator/status", timeout=30)
    assert page.status_code == 403
    anonymous = requests.get(f"{gateway}/operator/status", timeout=30, allow_redirects=False)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def _event(service: str, aggregate_id: str, event_type: str) -> dict:
    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        row = client[settings.database(service)].outbox.find_one({"key": aggregate_id,
                                                                  "event.event_type": event_type})
    assert row, f"no {event_type} of {aggregate_id} in {service}'s outbox"
    return row["event"]


def _lines_with(platform, needle: str) -> list[dict]:
    """Every log line of the platform's services that mentions `needle`, parsed (each must be JSON)."""
    found = []
    for path in sorted((platform.var / "log").glob("*-*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if needle in line:
                found.append(json.loads(line))  # not JSON: the test fails here, naming the line
    return found


def test_every_line_the_services_log_is_json(platform, gateway):
    register(gateway)  # some traffic through the gateway and its workers
    for path in sorted((platform.var / "log").glob("*-*.log")):  # <service>-api.log, <service>-worker.log
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            try:
                assert isinstance(json.loads(line), dict)
            except (ValueError, AssertionError):
                pytest.fail(f"{path.name}:{number} is not a JSON object: {line[:300]}")


@pytest.mark.parametrize("kind", ["correlation_id", "aggregate_id"])
def test_one_proposal_is_followed_across_services_by_grep(platform, gateway, kind):
    staff, author = staff_of(gateway), register(gateway)
    pid = published_for_voting(author, staff, competence="municipal")
    published = _event("proposals", pid, "proposals.proposal_published")
    needle = published[kind] if kind == "correlation_id" else pid

    def followed():
        lines = _lines_with(platform, needle)
        applied = [line for line in lines if line["service"] == "voting"
                   and line.get("event_type") == "proposals.proposal_published"]
        return {line["service"] for line in lines} >= {"proposals", "voting"} and applied and lines
    lines = poll(followed, 30, f"log lines of proposals and voting with the {kind} {needle}")
    for line in lines:
        assert {"time", "service", "level", "logger", "message"} <= set(line), line
        if kind == "correlation_id" or "event_type" in line:  # a line about the event names it
            assert line[kind] == needle, line
    if kind == "aggregate_id":  # the proposal's whole path: its submission's story too
        assert {"proposals.proposal_submitted", "proposals.proposal_published"} <= {
            line.get("event_type") for line in lines}


def test_the_services_export_the_gauges_the_alerts_use(platform):
    """The gauges deploy/prometheus-alerts.yml reads are set by the workers (locally, each service's
    /metrics page gathers its API's and its worker's processes)."""
    wanted = {"proposals": ['civic_outbox_oldest_age_seconds{service="proposals"}'],
              "voting": [f'topic="{get_settings().topic("proposals")}"', "civic_consumer_lag{",
                         'civic_consumer_last_poll_timestamp_seconds{service="voting"}'],
              "forwarding": ["civic_breakers_open ", "civic_replies_overdue "]}
    for service, needles in wanted.items():
        def exported():
            text = requests.get(f"{platform.url(service)}/metrics", timeout=10).text
            return all(needle in text for needle in needles)
        poll(exported, 30, f"{service}'s /metrics to show {needles}")
