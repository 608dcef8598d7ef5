"""What the platform costs at rest: the CPU each part uses while nobody does anything (every
process of a part counted: gunicorn's workers, the database server's threads), over a window
after the start has settled. Idle reads queue in front of real work on the database server, so
this is the baseline the other benchmarks sit on. Asserts nothing.

Run: .venv/bin/python tests/perf/bench_idle.py [--settle 15] [--seconds 30]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.local.platform import Platform  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds_by_group() -> dict[int, float]:
    """User + system CPU seconds of every process, summed by process group."""
    totals: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        group = int(fields[2])
        totals[group] = totals.get(group, 0.0) + (int(fields[11]) + int(fields[12])) / TICK
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=15.0, help="seconds to wait after the start")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the measured window")
    args = parser.parse_args()
    platform = Platform(Path(tempfile.mkdtemp(prefix="civic-idle-")), gateway_port=0, env={}).start()
    try:
        groups = {name: os.getpgid(proc.popen.pid) for name, proc in platform.procs.items()}
        print(f"platform up; settling {args.settle:.0f} s, then measuring {args.seconds:.0f} s at rest")
        time.sleep(args.settle)
        before = cpu_seconds_by_group()
        time.sleep(args.seconds)
        after = cpu_seconds_by_group()
        used = {name: (after.get(g, 0.0) - before.get(g, 0.0)) / args.seconds * 100 for name, g in groups.items()}
        for name, share in sorted(used.items(), key=lambda item: -item[1]):
            print(f"  {name:<22} {share:5.1f} % of a core")
        print(f"  {'all parts':<22} {sum(used.values()):5.1f} % of a core")
    finally:
        platform.stop()


if __name__ == "__main__":
    main()
