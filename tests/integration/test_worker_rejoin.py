"""A worker killed and started again takes its partitions back within seconds (with
CIVIC_CONSUMER_INSTANCE_ID=auto its consumer rejoins under the same static group.instance.id, and the
broker hands it the dead member's partitions at once). The time from the restart to the first event
applied is printed, for the broker and membership the platform runs with."""
from __future__ import annotations

import time

import pytest

from tests.support import eligible_residents, poll, published_for_voting, register, staff_of

pytestmark = pytest.mark.slow


def test_a_restarted_worker_applies_events_again_within_seconds(platform, gateway):
    staff = staff_of(gateway)
    pid = published_for_voting(register(gateway), staff, theme="health", competence="national",
                               title="Tolmači v zdravstvenih domovih")
    resident = eligible_residents(gateway, 1)[0]
    platform.kill("proposals-worker")  # SIGKILL: its group membership is left behind, not given up
    restarted = time.monotonic()
    platform.start_worker("proposals")
    assert resident.put(f"/proposals/{pid}/support").status_code < 300
    poll(lambda: staff.get(f"/proposals/{pid}").json()["supports"] == 1, 60,
         "the restarted proposals worker to apply the support")
    took = time.monotonic() - restarted
    print(f"proposals worker on {platform.broker}: first event applied {took:.1f} s after the restart")
