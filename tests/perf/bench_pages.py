"""Server time of the web pages with a lived-in municipality: issue 17's 2,000 published proposals
and 20,000 comments (1,000 on each of 20 proposals). 20 proposals and 200 comments are seeded through
the gateway; the rest are copies of those documents made in the databases (tests/perf/cloning.py:
through the gateway, comments go in at about 10/s). `--through-api` seeds everything through the
gateway. Each page is asked for sequentially, after a warm-up, and its p50/p95 printed beside a no-op
endpoint of the same gateway measured in the same run (the gateway's /healthz), with the ratio, the
inner calls and the database commands per page. Asserts nothing about speed.

Run: .venv/bin/python tests/perf/bench_pages.py [--proposals 2000] [--comments 20000] [--requests 100]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.local.platform import Platform  # noqa: E402
from tests.perf.cloning import clone_comments, clone_proposals  # noqa: E402
from tests.perf.common import db_commands, inner_requests, print_commands_per, worker_command_rate, workers_settled  # noqa: E402
from tests.support import BENCH_ENV, PASSWORD, poll, register, staff_of  # noqa: E402

THEMES = ("employment", "housing", "education", "health", "inclusion")
STANCES = ("for", "against", "neutral")
WARM_UP = 5  # requests per page before the timed ones


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    print(f"\r  {label:<22} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", flush=True)
    if done == total:
        print()


def seed(gateway: str, proposals: int, comments: int) -> list[str]:
    """Published proposals from 20 residents, and comments on the first 20 of them."""
    staff = staff_of(gateway)
    authors = [register(gateway) for _ in range(20)]
    made: list[str] = []

    def one(n: int) -> str:
        author = authors[n % len(authors)]
        pid = author.submit(title=f"Predlog {n}: jezikovna kavarna v knjižnici", theme=THEMES[n % len(THEMES)],
                            summary="Tedenski večeri pogovora v slovenščini za novo priseljene.",
                            body="Prostovoljci in knjižničarji jih vodijo.\n\nVsak četrtek ob 18h.")["id"]
        answer = staff.post(f"/proposals/{pid}/moderation", json={"decision": "approve", "competence": "municipal",
                                                                      "justification": "The municipality can do this."})
        assert answer.status_code == 200, answer.text
        return pid

    with ThreadPoolExecutor(8) as pool:
        for pid in pool.map(one, range(proposals)):
            made.append(pid)
            progress("proposals", len(made), proposals)
    discussed = made[:20]
    for pid in discussed:
        poll(lambda pid=pid: staff.get(f"/proposals/{pid}/results").status_code == 200, 60, "voting to know it")
    posted = 0

    def comment(n: int) -> None:
        author = authors[n % len(authors)]
        answer = author.post(f"/proposals/{discussed[n % len(discussed)]}/comments",
                             json={"body": f"Argument {n}: to bi pomagalo mnogim družinam.",
                                   "alignment": STANCES[n % len(STANCES)]})
        assert answer.status_code == 201, answer.text

    with ThreadPoolExecutor(8) as pool:
        for _ in pool.map(comment, range(comments)):
            posted += 1
            if posted % 50 == 0 or posted == comments:
                progress("comments", posted, comments)
    return made


def timed(session: requests.Session, url: str, count: int) -> list[float]:
    for _ in range(WARM_UP):
        session.get(url, timeout=60)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        answer = session.get(url, timeout=60)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, (url, answer.status_code)
    return times


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--through-api", action="store_true", help="seed every proposal and comment via the gateway")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as var:
        platform = Platform(var, gateway_port=0, env=BENCH_ENV).start()
        try:
            gateway = platform.gateway_url
            idle_rate = worker_command_rate(platform)
            started = time.perf_counter()
            if args.through_api:
                made = seed(gateway, args.proposals, args.comments)
            else:
                made = seed(gateway, min(args.proposals, 20), min(args.comments, 200))
            workers_settled(platform, idle_rate)  # the projections and counts of the seeded ones are written
            if not args.through_api:
                made = clone_proposals(made, args.proposals, progress)
                clone_comments(made[:20], args.comments // 20, progress)
            print(f"seeded {args.proposals} proposals and {args.comments} comments in "
                  f"{time.perf_counter() - started:.0f}s")
            started = time.perf_counter()
            workers_settled(platform, idle_rate)
            print(f"the workers worked off the seeding's events in {time.perf_counter() - started:.0f}s")
            resident = register(gateway, eligible=True)
            signed = requests.Session()
            form = signed.get(f"{gateway}/login", timeout=30).text
            token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            signed.post(f"{gateway}/login", data={"email": resident.email, "password": PASSWORD,
                                                  "csrf_token": token}, timeout=30)
            anonymous = requests.Session()
            pages = [
                ("no-op (/healthz)", anonymous, f"{gateway}/healthz"),
                ("landing /", anonymous, f"{gateway}/"),
                ("list, page 1", anonymous, f"{gateway}/m/idrija/"),
                ("list, page 10", anonymous, f"{gateway}/m/idrija/?page=10"),
                ("list, theme filter", anonymous, f"{gateway}/m/idrija/?theme=housing"),
                (f"proposal, {args.comments // 20} comments", anonymous, f"{gateway}/m/idrija/proposals/{made[0]}"),
                ("same, signed in", signed, f"{gateway}/m/idrija/proposals/{made[0]}"),
                ("processes", anonymous, f"{gateway}/m/idrija/processes"),
                ("receipt check", anonymous, f"{gateway}/receipts"),
                ("eligibility, signed in", signed, f"{gateway}/m/idrija/eligibility"),
            ]
            baseline, breakdown = None, []
            print(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'x no-op p50':>12} "
                  f"{'inner calls':>12} {'db commands':>12}")
            for name, session, url in pages:
                if session.get(url, timeout=60).status_code != 200:
                    print(f"{name:<24} (not served here)")
                    continue
                calls, before = inner_requests(platform), db_commands(platform)
                times = timed(session, url, args.requests)
                # per request, over the warm-up and the timed ones (workers' background commands included)
                asked, after = args.requests + WARM_UP, db_commands(platform)
                calls = (inner_requests(platform) - calls) / asked
                commands = (sum(after.values()) - sum(before.values())) / asked
                breakdown.append((name, asked, before, after))
                baseline = baseline or p(times, .5)
                print(f"{name:<24} {p(times, .5):8.1f} {p(times, .95):8.1f} {statistics.mean(times) * 1000:8.1f} "
                      f"{p(times, .5) / baseline:12.1f} {calls:12.1f} {commands:12.1f}")
            for name, asked, before, after in breakdown:
                print(f"\n{name}:", end=" ")
                print_commands_per("request", asked, before, after)
        finally:
            platform.stop()


if __name__ == "__main__":
    main()
