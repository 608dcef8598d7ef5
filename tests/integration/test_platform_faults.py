"""Each part of the platform killed (SIGKILL) and started again in turn, and the database server
stalled for 30 s, while residents comment and vote, an author submits proposals and a vote closes
into a dossier: nothing answered 2xx is lost or stored twice, the projections equal recounts, the
outboxes drain, no dead letter, one dossier at the ministry; the time to recover is printed
(tests/faults.py). The broker's faults are in test_broker_faults.py."""
from __future__ import annotations

import os
import signal
import threading

import pytest
import requests

from services.settings import SERVICES
from tests import faults

pytestmark = pytest.mark.slow
STALL_SECONDS = 30


def _restart(platform, name: str) -> None:
    proc = platform.restart(name)
    service = name.removesuffix("-api")
    if name.endswith("-api"):
        proc.wait_until(lambda: requests.get(f"{platform.url(service)}/readyz", timeout=2).ok, 60, "/readyz ready")


@pytest.mark.parametrize("part", [f"{service}-{kind}" for kind in ("api", "worker") for service in SERVICES])
def test_a_part_killed_and_started_again_loses_and_doubles_nothing(platform, gateway, part):
    faults.run(platform, gateway, lambda: platform.kill(part), f"{part} killed (SIGKILL) and started again",
               mend=lambda: _restart(platform, part))


def test_the_database_server_killed_and_started_again_on_its_data_loses_nothing(platform, gateway):
    faults.run(platform, gateway, lambda: platform.kill("mongo"), "the database server killed and started again",
               mend=lambda: _restart(platform, "mongo"))


def test_the_database_server_stalled_for_30_seconds_loses_nothing(platform, gateway):
    database = platform.procs["mongo"]
    woken = threading.Timer(STALL_SECONDS, os.kill, (database.pid, signal.SIGCONT))

    def stall():
        os.kill(database.pid, signal.SIGSTOP)
        woken.start()

    faults.run(platform, gateway, stall, f"the database server stalled {STALL_SECONDS} s (SIGSTOP)", mend=woken.join)
