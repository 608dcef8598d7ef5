"""Baseline: ballots/s through the gateway at concurrency 16, with p50/p99 latency, beside
two ceilings measured in the same run (a no-op endpoint on the same gunicorn settings, raw
insert_one on the same database server) and the platform's memory at rest and under load.

Prints figures; asserts nothing about speed.  Run: .venv/bin/python tests/perf/bench_ballots.py
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
from itertools import zip_longest
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.local.platform import Platform  # noqa: E402
from tests.perf.common import cpu_by_part, db_commands, platform_memory, print_commands_per, report, run_load  # noqa: E402
from tests.support import (BENCH_ENV, eligible_residents, outboxes_drained, poll, published_for_voting,  # noqa: E402
                           register, staff_of)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="civic-bench-"))
    platform = Platform(var, gateway_port=0, env=BENCH_ENV).start()
    try:
        base = platform.gateway_url
        print(f"machine: {os.cpu_count()} cores; platform processes and load generator share them")
        staff, author = staff_of(base), register(base)
        pid = published_for_voting(author, staff, theme="inclusion", competence="municipal")
        assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
        voters = eligible_residents(base, args.voters)
        poll(outboxes_drained, 30, "the registration events to be published")  # then memory is at rest
        rest = platform_memory(platform)

        choices = ("yes", "no", "abstain")
        per_voter = args.ballots // args.voters
        jobs = [(voter, choices[(i + n) % 3]) for n, voter in enumerate(voters) for i in range(per_voter)]
        # One thread per voter group so that a voter's ballots stay in order (each is a real change).
        by_thread = [[j for j in jobs if voters.index(j[0]) % args.concurrency == t]
                     for t in range(args.concurrency)]
        ordered = [job for group in zip_longest(*by_thread) for job in group if job is not None]

        def cast(job):
            voter, choice = job
            answer = voter.put(f"/proposals/{pid}/ballot", json={"choice": choice})
            assert answer.status_code == 200, answer.text

        sampled: list = []
        sampler_stop = threading.Event()

        def sample():
            while not sampler_stop.wait(0.5):
                sampled.append(platform_memory(platform))
        sampler = threading.Thread(target=sample)
        sampler.start()
        cpu_before, commands_before = cpu_by_part(platform), db_commands(platform)
        seconds, latencies = run_load(ordered, cast, args.concurrency)
        cpu_after = cpu_by_part(platform)
        poll(outboxes_drained, 60, "the ballot events to be published")  # the relay's work counts too
        commands_after = db_commands(platform)
        sampler_stop.set()
        sampler.join()
        load = max(sampled, default=platform_memory(platform), key=lambda m: m[0])

        health = requests.Session()
        noop_s, noop_l = run_load(list(range(len(ordered))),
                                  lambda _: health.get(f"{base}/healthz", timeout=10).raise_for_status(),
                                  args.concurrency)

        import pymongo
        client = pymongo.MongoClient(os.environ["CIVIC_MONGO_URI"])
        collection = client["civic_bench"]["inserts"]
        insert_s, insert_l = run_load([{"n": i} for i in range(len(ordered))],
                                      lambda doc: collection.insert_one(dict(doc)), args.concurrency)

        print(f"\n{len(ordered)} ballots from {args.voters} voters, concurrency {args.concurrency}")
        ballots = report("ballots via gateway (PUT ballot)", len(ordered), seconds, latencies)
        noop = report("ceiling: no-op /healthz, gateway", len(ordered), noop_s, noop_l)
        raw = report("ceiling: raw insert_one, same db", len(ordered), insert_s, insert_l)
        print(f"ratio ballots / no-op endpoint: {ballots / noop:.2f}")
        print(f"ratio ballots / raw insert_one: {ballots / raw:.2f}")
        spent = sorted(((cpu_after[k] - cpu_before.get(k, 0.0), k) for k in cpu_after), reverse=True)
        print("CPU seconds during the ballot load: " + ", ".join(f"{k} {v:.1f}" for v, k in spent[:6]))
        print_commands_per("accepted ballot", len(ordered), commands_before, commands_after)
        print(f"memory at rest:    RSS {rest[0]:7.0f} MiB  PSS {rest[1]:7.0f} MiB  ({rest[2]} processes)")
        print(f"memory under load: RSS {load[0]:7.0f} MiB  PSS {load[1]:7.0f} MiB  ({load[2]} processes)")
        assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
        tally = staff.get(f"/proposals/{pid}/results").json()["tally"]
        print(f"final tally {tally} (sum {sum(tally.values())} = voters {args.voters})")
        print(f"median latency {statistics.median(latencies) * 1000:.1f} ms")
    finally:
        platform.stop()


if __name__ == "__main__":
    main()
