"""Soak: the whole flow, again and again, for a set time at a set rate, on a platform of its own.

Each round: a resident submits a proposal, staff approve it (national competence), the vote opens,
residents comment and vote, staff close it, forwarding prepares, signs and dispatches the dossier to
the Ministry of Health's stand-in (which acknowledges it), and staff record the ministry's reply.
Rounds start at `--rate` per minute, several in flight at once. Prints the requests, errors by
status, p50/p99 per kind of request, every part's memory (RSS) at the start and the end, and any
drift between the projections and a recount from the source of truth. Prints figures; asserts
nothing but that the platform kept up. Run (loopback only):

    .venv/bin/python tests/perf/soak.py --minutes 5 --rate 12
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
import pymongo
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.local.platform import Platform  # noqa: E402
from services.settings import get_settings  # noqa: E402
from tests.perf.bench_ballots import percentile  # noqa: E402
from tests.support import (BENCH_ENV, PROCESS, eligible_residents, outboxes_drained, poll, register,  # noqa: E402
                           staff_of)

VOTERS_PER_ROUND = 6


class Recorder:
    """Every request's kind, status and latency."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()

    def __call__(self, kind: str, client, method: str, path: str, **kwargs):
        started = time.perf_counter()
        try:
            answer = client.request(method, path, **kwargs)
            status = answer.status_code
        except requests.RequestException as exc:
            answer, status = None, type(exc).__name__
        with self.lock:
            self.latencies[kind].append(time.perf_counter() - started)
            self.statuses[(kind, status)] += 1
        return answer


def rss_by_part(platform: Platform) -> dict[str, float]:
    """RSS in MiB of each part, its children included (a gunicorn's workers)."""
    owner = {proc.pid: name for name, proc in platform.procs.items() if proc.alive()}
    rss: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name = owner.get(int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]))
                if name:
                    line = next(x for x in (entry / "status").read_text().splitlines() if x.startswith("VmRSS:"))
                    rss[name] += int(line.split()[1]) / 1024
            except (OSError, StopIteration, ValueError, IndexError):
                continue
    return dict(rss)


def one_round(call: Recorder, author, staff, voters: list, number: int) -> str | None:
    """One proposal from submission to the ministry's reply; its id, or None if a step failed."""
    made = call("submit", author, "POST", "/proposals", json={
        "process_id": PROCESS, "title": f"Tolmači v zdravstvu, predlog {number}", "theme": "health",
        "language": "sl", "summary": "Tolmači za priseljence v zdravstvenih domovih in bolnišnicah."})
    if made is None or made.status_code != 201:
        return None
    pid = made.json()["id"]
    approved = call("moderate", staff, "POST", f"/proposals/{pid}/moderation", json={
        "decision": "approve", "competence": "national", "justification": "To ureja država."})
    if approved is None or approved.status_code != 200:
        return None
    poll(lambda: getattr(call("results", staff, "GET", f"/proposals/{pid}/results"), "status_code", 0) == 200, 60,
         "voting to learn of the proposal", interval=0.5)
    call("open", staff, "POST", f"/proposals/{pid}/voting/open")
    for n, voter in enumerate(voters):
        call("comment", voter, "POST", f"/proposals/{pid}/comments",
             json={"body": f"Podpiram, ker je nujno ({number}.{n}).", "alignment": "for"})
        call("ballot", voter, "PUT", f"/proposals/{pid}/ballot", json={"choice": "yes" if n % 3 else "no"})
    call("close", staff, "POST", f"/proposals/{pid}/voting/close")

    def dispatched():
        answer = call("forwarding", staff, "GET", f"/proposals/{pid}/forwarding")
        dossiers = answer.json().get("dossiers") or [] if answer is not None and answer.ok else []
        return next((d for d in dossiers if d["status"] in ("acknowledged", "sent")), None)

    dossier = poll(dispatched, 120, "the dossier to be dispatched", interval=0.5)
    call("reply", staff, "POST", f"/dossiers/{dossier['id']}/replies", json={
        "status": "accepted", "text": "Ministrstvo bo predlog vključilo v nacionalni akcijski načrt."})
    return pid


def drift(pids: list[str], staff) -> list[str]:
    """Where a projection differs from a recount: the proposal's comment count (proposals, from
    voting's events) against voting's comments; the published tally against the ballots stored."""
    settings, found = get_settings(), []
    with pymongo.MongoClient(settings.mongo_uri) as client:
        voting = client[settings.database("voting")]
        for pid in pids:
            comments = voting.comments.count_documents({"vote_id": pid})
            ballots = voting.ballots.count_documents({"vote_id": pid})
            shown = staff.get(f"/proposals/{pid}").json().get("comments")
            tally = staff.get(f"/proposals/{pid}/results").json().get("tally") or {}
            if shown != comments or sum(tally.get(k, 0) for k in ("yes", "no", "abstain")) != ballots:
                found.append(f"{pid}: comments shown {shown}, stored {comments}; tally {tally}, ballots {ballots}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=12.0, help="rounds started per minute")
    parser.add_argument("--in-flight", type=int, default=4, help="rounds at once, at most")
    args = parser.parse_args()
    platform = Platform(Path(tempfile.mkdtemp(prefix="civic-soak-")), gateway_port=0, env=BENCH_ENV).start()
    try:
        base = platform.gateway_url
        staff, author = staff_of(base), register(base)
        voters = eligible_residents(base, VOTERS_PER_ROUND * args.in_flight)
        memory_at_start = rss_by_part(platform)
        call, pids, failed = Recorder(), [], 0
        rounds = max(1, int(args.minutes * args.rate))
        started = time.monotonic()
        with ThreadPoolExecutor(args.in_flight) as pool, click.progressbar(length=rounds, label="rounds", file=sys.stderr) as bar:
            futures = []
            for number in range(rounds):
                due = started + number * 60 / args.rate
                time.sleep(max(0.0, due - time.monotonic()))  # the set rate (a load generator's pacing)
                group = voters[(number % args.in_flight) * VOTERS_PER_ROUND:][:VOTERS_PER_ROUND]
                future = pool.submit(one_round, call, author, staff, group, number)
                future.add_done_callback(lambda _: bar.update(1))
                futures.append(future)
            for future in futures:
                try:
                    pid = future.result()
                except AssertionError:
                    pid = None
                pids.append(pid) if pid else None
                failed += pid is None
        seconds = time.monotonic() - started
        poll(outboxes_drained, 120, "the outboxes to drain")
        memory_at_end = rss_by_part(platform)
        report(args, call, pids, failed, seconds, memory_at_start, memory_at_end, drift(pids, staff))
    finally:
        platform.stop()


def report(args, call, pids, failed, seconds, start, end, drifts) -> None:
    total = sum(call.statuses.values())
    errors = {f"{kind} {status}": n for (kind, status), n in sorted(call.statuses.items(), key=str)
              if not (isinstance(status, int) and status < 400)}
    print(f"\nsoak: {args.minutes:g} min at {args.rate:g} rounds/min; {len(pids)} rounds completed, {failed} failed,"
          f" in {seconds:.0f} s")
    print(f"requests: {total} ({total / seconds:.1f}/s); errors by request and status: {errors or 'none'}"
          " (a 404 of results: polled before voting has learnt of the proposal)")
    every = [x for values in call.latencies.values() for x in values]
    print(f"{'request':<12}{'count':>7}{'p50 ms':>10}{'p99 ms':>10}")
    for kind, values in [*sorted(call.latencies.items()), ("all", every)]:
        print(f"{kind:<12}{len(values):>7}{percentile(values, .5) * 1000:>10.1f}{percentile(values, .99) * 1000:>10.1f}")
    print(f"\n{'part':<22}{'RSS start MiB':>14}{'RSS end MiB':>13}")
    for part in sorted(set(start) | set(end)):
        print(f"{part:<22}{start.get(part, 0):>14.1f}{end.get(part, 0):>13.1f}")
    print(f"{'all':<22}{sum(start.values()):>14.1f}{sum(end.values()):>13.1f}")
    print(f"\ndrift between projections and recounts: {len(drifts)} of {len(pids)} proposals")
    for line in drifts:
        print(f"  {line}")


if __name__ == "__main__":
    main()
