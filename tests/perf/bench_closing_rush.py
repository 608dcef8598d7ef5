"""The closing-minute rush: N voters (default 1,000), all at once, in the last minute of a scheduled vote
that then closes by itself. Prints ballots/s, p50/p99 latency, ballots accepted and refused, the ceiling
ratios of bench_ballots.py (a no-op endpoint on the same gunicorn, raw insert_one on the same database),
and checks that the tally is exact.

Prints figures; asserts only exactness.  Run (loopback only):
    .venv/bin/python tests/perf/bench_closing_rush.py --voters 1000 --concurrency 1000
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.local.platform import Platform
from tests.perf.common import cpu_by_part, report, run_load, worker_command_rate, workers_settled
from tests.support import (BENCH_ENV, assert_no_tally_alarm, eligible_residents, poll, published_for_voting, register,
                           staff_of)

CHOICES = ("yes", "no", "abstain")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1000, help="voters in flight at once")
    parser.add_argument("--changes", type=int, default=1, help="ballots per voter (>1: they change their mind)")
    parser.add_argument("--window", type=float, default=60.0, help="seconds from the rush to the closing time")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="civic-rush-"))
    platform = Platform(var, gateway_port=0, env=BENCH_ENV).start()
    try:
        base = platform.gateway_url
        print(f"machine: {os.cpu_count()} cores; platform processes and load generator share them")
        staff, author = staff_of(base), register(base)
        idle_rate = worker_command_rate(platform)
        started = time.perf_counter()
        voters = eligible_residents(base, args.voters, workers=16)
        print(f"{args.voters} residents registered, on the register and verified in "
              f"{time.perf_counter() - started:.0f}s")
        started = time.perf_counter()
        workers_settled(platform, idle_rate)  # the rush, not the registrations' events, is measured
        print(f"the workers worked off the registrations' events in {time.perf_counter() - started:.0f}s")
        pid = published_for_voting(author, staff, theme="inclusion", competence="municipal")
        assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
        closes_at = datetime.now(timezone.utc) + timedelta(seconds=args.window)
        window = staff.put(f"/proposals/{pid}/voting/window", json={"closes_at": closes_at.isoformat()})
        assert window.status_code == 200, window.text

        jobs = [(n, voter) for n, voter in enumerate(voters)]
        accepted: dict[int, str] = {}
        refused = Counter()
        lock = threading.Lock()
        gate = threading.Barrier(min(args.concurrency, len(jobs)))

        def cast(job):
            n, voter = job
            try:
                gate.wait(timeout=120)
            except threading.BrokenBarrierError:
                pass
            for k in range(args.changes):
                choice = CHOICES[(n + k) % 3]
                answer = voter.put(f"/proposals/{pid}/ballot", json={"choice": choice})
                with lock:
                    if answer.status_code == 200:
                        accepted[n] = choice
                    else:
                        refused[answer.status_code] += 1

        cpu_before = cpu_by_part(platform)
        seconds, latencies = run_load(jobs, cast, args.concurrency)
        cpu_after = cpu_by_part(platform)
        count = len(jobs) * args.changes

        health = requests.Session()
        noop_s, noop_l = run_load(list(range(count)), lambda _: health.get(f"{base}/healthz", timeout=30)
                                  .raise_for_status(), min(args.concurrency, 64))
        import pymongo
        collection = pymongo.MongoClient(os.environ["CIVIC_MONGO_URI"])["civic_bench"]["inserts"]
        insert_s, insert_l = run_load([{"n": i} for i in range(count)],
                                      lambda doc: collection.insert_one(dict(doc)), min(args.concurrency, 64))

        print(f"\nclosing-minute rush: {args.voters} voters x {args.changes} ballot(s), "
              f"{args.concurrency} in flight, closing {args.window:.0f}s after the rush began")
        # Latencies are per voter (all their ballots); the rate counts ballots.
        ballots = report("ballots via gateway (PUT ballot)", count, seconds,
                         [latency / args.changes for latency in latencies])
        noop = report("ceiling: no-op /healthz, gateway", count, noop_s, noop_l)
        raw = report("ceiling: raw insert_one, same db", count, insert_s, insert_l)
        print(f"(ceilings measured at concurrency {min(args.concurrency, 64)})")
        print(f"ratio ballots / no-op endpoint: {ballots / noop:.2f}")
        print(f"ratio ballots / raw insert_one: {ballots / raw:.2f}")
        print(f"accepted {len(accepted)} voters, refused {dict(refused) or 0}")
        spent = sorted(((cpu_after[k] - cpu_before.get(k, 0.0), k) for k in cpu_after), reverse=True)
        print("CPU seconds during the rush: " + ", ".join(f"{k} {v:.1f}" for v, k in spent[:6]))

        final = poll(lambda: (r := staff.get(f"/proposals/{pid}/results").json())["status"] == "closed" and r,
                     args.window + 60, "the vote to close by itself")
        expected = {c: sum(1 for v in accepted.values() if v == c) for c in CHOICES}
        print(f"closed by the clock at {final['closed_at']}; final tally {final['tally']}; expected {expected}")
        assert final["tally"] == expected, "the tally is not exact"
        assert_no_tally_alarm(platform, pid)
        print("tally exact; the worker's live-vs-recount check raised no alarm")
    finally:
        platform.stop()


if __name__ == "__main__":
    main()
