"""Helpers the benchmarks share: load generation, percentiles, the platform's memory, CPU and
database commands per part.  Benchmarks print figures; none asserts a speed."""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from services.local.platform import Platform


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
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            pgid = int(stat.rsplit(")", 1)[1].split()[2])
            if pgid not in groups:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
            count += 1
        except (OSError, ValueError, IndexError):
            continue
    return rss / 1024, pss / 1024, count


def cpu_by_part(platform: Platform) -> dict[str, float]:
    """CPU seconds used so far by each part (a part's process group includes its children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    owner = {proc.pid: name for name, proc in platform.procs.items() if proc.alive()}
    used: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            name = owner.get(int(fields[2]))
            if name:
                used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return used


def db_commands(platform: Platform) -> dict[tuple[str, str, str], int]:
    """Database commands sent so far, per (service, part, command), summed from every process's
    `civic_db_commands_total` in the service's multiprocess metrics directory."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector
    counts: dict[tuple[str, str], int] = {}
    for folder in sorted((platform.var / "metrics").iterdir()):
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(folder))
        for family in registry.collect():
            if family.name != "civic_db_commands":
                continue
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    key = (sample.labels["service"], sample.labels["part"], sample.labels["command"])
                    counts[key] = counts.get(key, 0) + int(sample.value)
    return counts


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
