"""Helpers the benchmarks share: load generation, percentiles, the platform's memory, CPU and
database commands per part.  Benchmarks print figures; none asserts a speed."""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from services.local.platform import Platform
from tests.support import poll, processes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_load(jobs: list, call, concurrency: int) -> tuple[float, list[float]]:
    """Run `call(job)` for every job on `concurrency` threads; return (seconds, latencies)."""
    latencies: list[float] = []
    lock = threading.Lock()
    chunks = [jobs[i::concurrency] for i in range(concurrency)]

    def worker(chunk):
        mine = []
        for job in chunk:
            started = time.perf_counter()
            call(job)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, chunks))
    return time.perf_counter() - started, latencies


def report(name: str, count: int, seconds: float, latencies: list[float]) -> float:
    rate = count / seconds
    print(f"{name:<34} {rate:>9.0f}/s   p50 {percentile(latencies, .5) * 1000:>7.1f} ms"
          f"   p99 {percentile(latencies, .99) * 1000:>7.1f} ms   ({count} in {seconds:.1f}s)")
    return rate


def platform_memory(platform: Platform) -> tuple[float, float, int]:
    """(RSS MiB, PSS MiB, processes) of every process in the platform's process groups."""
    groups = {proc.pid for proc in platform.procs.values() if proc.alive()}
    rss = pss = count = 0
    for entry, fields in processes():
        if int(fields[2]) not in groups:
            continue
        try:
            rollup = (entry / "smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        rss += sum(int(line.split()[1]) for line in rollup if line.startswith("Rss:"))
        pss += sum(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        count += 1
    return rss / 1024, pss / 1024, count


def cpu_by_part(platform: Platform) -> dict[str, float]:
    """CPU seconds used so far by each part (a part's process group includes its children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    owner = {proc.pid: name for name, proc in platform.procs.items() if proc.alive()}
    used: dict[str, float] = {}
    for _, fields in processes():
        name = owner.get(int(fields[2]))
        if name:
            used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return used


def _samples(platform: Platform, name: str):
    """Every sample called `name` in the services' multiprocess metrics directories, with its folder."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector
    for folder in sorted((platform.var / "metrics").iterdir()):
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(folder))
        for family in registry.collect():
            for sample in family.samples:
                if sample.name == name:
                    yield folder.name, sample


def db_commands(platform: Platform) -> dict[tuple[str, str, str], int]:
    """Database commands sent so far, per (service, part, command), from every process's
    `civic_db_commands_total` (pymongo's command monitoring, services.db_monitors.CommandCount)."""
    counts: dict[tuple[str, str, str], int] = {}
    for _, sample in _samples(platform, "civic_db_commands_total"):
        key = (sample.labels["service"], sample.labels["part"], sample.labels["command"])
        counts[key] = counts.get(key, 0) + int(sample.value)
    return counts


def inner_requests(platform: Platform) -> int:
    """HTTP requests the inner services (all but the gateway) have answered so far."""
    return int(sum(sample.value for folder, sample in _samples(platform, "civic_http_request_seconds_count")
                   if folder != "gateway"))


def print_commands_per(unit: str, count: int, before: dict, after: dict) -> None:
    """Print the database commands each (service, part) sent per `unit` between two counts."""
    spent: dict[str, dict[str, int]] = {}
    for (service, part, command), value in after.items():
        if value > before.get((service, part, command), 0):
            spent.setdefault(f"{service}-{part}", {})[command] = value - before.get((service, part, command), 0)
    total = sum(sum(commands.values()) for commands in spent.values())
    print(f"database commands per {unit}: {total / count:.2f} in all")
    for name, commands in sorted(spent.items(), key=lambda item: -sum(item[1].values())):
        print(f"  {name:<22} {sum(commands.values()) / count:6.2f}  (" + ", ".join(
            f"{command} {value / count:.2f}" for command, value in sorted(commands.items(), key=lambda c: -c[1])) + ")")


def worker_command_rate(platform: Platform, seconds: float = 3.0) -> float:
    """Database commands per second the workers send now (at rest: their polling)."""
    before, started = _worker_commands(platform), time.monotonic()
    threading.Event().wait(seconds)
    return (_worker_commands(platform) - before) / (time.monotonic() - started)


def workers_settled(platform: Platform, idle_rate: float, deadline: float = 300.0) -> None:
    """Wait until the workers have worked off what came before (their database commands per
    second back near `idle_rate`, what their polling costs at rest), so that a measurement is
    not of their backlog."""
    last = {"at": time.monotonic(), "count": _worker_commands(platform), "rate": None}

    def quiet() -> bool:
        now, count = time.monotonic(), _worker_commands(platform)
        if now - last["at"] < 1.0:
            return False
        last.update(rate=(count - last["count"]) / (now - last["at"]), at=now, count=count)
        return last["rate"] < 1.5 * idle_rate + 5

    try:
        poll(quiet, deadline, "the workers to work off their backlog", interval=0.25)
    except AssertionError:
        print(f"the workers are still busy after {deadline:.0f}s ({last['rate']:.0f} database commands/s, "
              f"{idle_rate:.0f}/s at rest); measuring anyway")


def _worker_commands(platform: Platform) -> int:
    return sum(n for (_, part, _), n in db_commands(platform).items() if part == "worker")
