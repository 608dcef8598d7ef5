"""A burst of conclusions (forwarding.conclusions, services.batches): read together, they are routed,
built, signed and written in batches, each conclusion's dossiers once; an event read again in the
middle of a batch (a replay) makes that batch go one event at a time, and nothing is doubled."""
from __future__ import annotations

import pymongo

from services.settings import get_settings
from tests.perf.bench_forwarding import conclusion, publish
from tests.support import poll


def _dossiers(platform):
    return pymongo.MongoClient(get_settings().mongo_uri)[get_settings().database("forwarding")]["dossiers"]


def _counts(dossiers, pids: list[str]) -> dict[str, int]:
    counts = {pid: 0 for pid in pids}
    for son in dossiers.find({"proposal_id": {"$in": pids}}, {"proposal_id": 1}):
        counts[son["proposal_id"]] += 1
    return counts


def test_a_burst_of_conclusions_is_written_in_batches_each_dossier_once(platform):
    dossiers = _dossiers(platform)
    first = conclusion("health", "national")  # one institution (the health ministry)
    publish([first])
    poll(lambda: _counts(dossiers, [first["aggregate_id"]])[first["aggregate_id"]] == 1, 30, "the first dossier")

    burst = [conclusion(*(("health", "national") if i % 2 else ("housing", "shared"))) for i in range(40)]
    publish(burst[:20] + [first] + burst[20:])  # the first one read again among them
    expected = {e["aggregate_id"]: 1 if e["payload"]["theme"] == "health" else 2 for e in burst}
    pids = list(expected)
    poll(lambda: _counts(dossiers, pids) == expected, 60, "every conclusion's dossiers")
    assert _counts(dossiers, [first["aggregate_id"]])[first["aggregate_id"]] == 1  # not doubled

    lines = (platform.var / "log" / "forwarding-worker.log").read_text().splitlines()
    batched = [pid for pid in pids if any(pid in line and "(a batch of" in line for line in lines)]
    assert batched, "no conclusion of the burst was applied in a batch"
