"""Forwarding throughput: conclusions published on the voting topic -> signed dossiers delivered to
the institution stand-in and acknowledged. Prints dossiers/s and the latency from the conclusion
(its occurred_at) to the acknowledgement (p50/p99). Asserts nothing about speed.

Run: .venv/bin/python tests/perf/bench_forwarding.py [--conclusions 200] [--paced 20]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import pymongo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.bus import make_producer  # noqa: E402
from services.events import SYSTEM, encode, make_event  # noqa: E402
from services.local.platform import Platform  # noqa: E402
from services.settings import get_settings  # noqa: E402
from tests.perf.common import db_commands, percentile, print_commands_per  # noqa: E402
from tests.support import BENCH_ENV, poll  # noqa: E402


def conclusion(theme: str, competence: str) -> dict:
    pid = uuid.uuid4().hex
    return make_event("voting.conclusion_reached", municipality="idrija", aggregate_id=pid, actor=SYSTEM, payload={
        "proposal_id": pid, "process_id": "idrija-vkljucujoca", "title": f"Predlog {pid[:6]}: več tečajev slovenščine",
        "outcome": "adopted", "tally": {"yes": 12, "no": 3, "abstain": 1}, "ballots": 16,
        "competence": competence, "theme": theme, "author_id": "bench-author", "electorate": 160,
        "turnout": 0.1, "quorum_needed": 1, "quorum_met": True, "tie": False, "majority": "simple",
        "rules": {"majority": "simple", "qualified_fraction": 2 / 3, "tie": "rejected", "quorum_ballots": 1,
                  "quorum_percent": 0.0, "electorate": "register_at_opening"}})


def publish(events: list[dict]) -> None:
    producer = make_producer()
    topic = get_settings().topic("voting")
    for event in events:
        producer.send(topic, key=event["aggregate_id"].encode(), value=encode(event))
    producer.flush()
    producer.close()


def wait_acknowledged(dossiers, pids: set[str], expected: int, deadline: float, interval: float = 0.2) -> list[dict]:
    """The acknowledged dossiers once `expected` are (each look at many ids costs the local database
    server about 40 ms: a burst is looked at once a second, not to load the server it measures)."""
    def done():
        found = list(dossiers.find({"proposal_id": {"$in": list(pids)}, "status": "acknowledged"},
                                   {"proposal_id": 1, "acknowledged_at": 1}))
        return found if len(found) >= expected else None
    return poll(done, deadline, f"{expected} acknowledged dossiers", interval=interval)


def print_stages(stamps: list[dict], reached: dict, first) -> None:
    """Each stage's latency (p50/p99) and the rate it reached over the burst: consumed, routed and
    signed (conclusion -> dossier stored), then waiting for a dispatcher and delivered (-> dispatched)."""
    stages = {"prepared (consumed, routed, signed)": [(d["created_at"], reached[d["proposal_id"]]) for d in stamps],
              "dispatched and acknowledged": [(d["dispatched_at"], d["created_at"]) for d in stamps
                                              if d.get("dispatched_at")]}
    for name, pairs in stages.items():
        took = [(end - start).total_seconds() for end, start in pairs]
        span = (max(end for end, _ in pairs) - first).total_seconds()
        print(f"  stage {name}: p50 {percentile(took, .5) * 1000:.0f} ms, p99 {percentile(took, .99) * 1000:.0f} ms "
              f"after the previous stage; all {len(pairs)} within {span:.1f}s of the first conclusion "
              f"({len(pairs) / span:.1f} dossiers/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conclusions", type=int, default=200, help="conclusions in the burst")
    parser.add_argument("--paced", type=int, default=20, help="conclusions sent one at a time first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as var:
        platform = Platform(var, gateway_port=0, env=BENCH_ENV).start()
        try:
            dossiers = pymongo.MongoClient(get_settings().mongo_uri, tz_aware=True)[
                get_settings().database("forwarding")]["dossiers"]
            warm = conclusion("health", "national")
            publish([warm])
            wait_acknowledged(dossiers, {warm["aggregate_id"]}, 1, 60)

            # Unloaded: one conclusion at a time, each waited for.
            alone = []
            for _ in range(args.paced):
                event = conclusion("health", "national")
                publish([event])
                done = wait_acknowledged(dossiers, {event["aggregate_id"]}, 1, 60)
                alone.append((done[0]["acknowledged_at"] - datetime.fromisoformat(event["occurred_at"])).total_seconds())
            if alone:
                print(f"one at a time ({len(alone)}): conclusion -> acknowledgement p50 "
                      f"{percentile(alone, .5) * 1000:.0f} ms, p99 {percentile(alone, .99) * 1000:.0f} ms")

            # A burst: half go to one institution (health), half to two (housing, shared competence).
            events = [conclusion(*(("health", "national") if i % 2 else ("housing", "shared")))
                      for i in range(args.conclusions)]
            expected = sum(1 if e["payload"]["theme"] == "health" else 2 for e in events)
            reached = {e["aggregate_id"]: datetime.fromisoformat(e["occurred_at"]) for e in events}
            started, commands_before = time.perf_counter(), db_commands(platform)
            publish(events)
            done = wait_acknowledged(dossiers, set(reached), expected, 600, interval=1.0)
            seconds, commands_after = time.perf_counter() - started, db_commands(platform)
            latencies = [(d["acknowledged_at"] - reached[d["proposal_id"]]).total_seconds() for d in done]
            stamps = list(dossiers.find({"proposal_id": {"$in": list(reached)}},
                                        {"proposal_id": 1, "created_at": 1, "dispatched_at": 1}))
            first = min(reached.values())
            print(f"burst: {args.conclusions} conclusions -> {expected} signed dossiers delivered and acknowledged "
                  f"in {seconds:.1f}s")
            print(f"  throughput: {expected / seconds:.1f} dossiers/s ({args.conclusions / seconds:.1f} conclusions/s)")
            print_stages(stamps, reached, first)
            print(f"  conclusion -> acknowledgement: p50 {percentile(latencies, .5) * 1000:.0f} ms, "
                  f"p99 {percentile(latencies, .99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
            print_commands_per("dossier (the burst, every process)", expected, commands_before, commands_after)
        finally:
            platform.stop()


if __name__ == "__main__":
    main()
