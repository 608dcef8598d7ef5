"""Register uploads as staff make them through the console: a CSV file of 10,000 and of 100,000 rows
posted to the upload form, then the import's page followed until the report. Prints the time of the
POST (the rows checked, hashed and stored in chunks: the answer comes before any is written), the
time from the POST to the job's end, and rows/s. Asserts nothing about speed.

Run: .venv/bin/python tests/perf/bench_register.py [--rows 10000 100000]
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.local.platform import Platform  # noqa: E402
from tests.e2e.test_pages import csrf_of, sign_in  # noqa: E402
from tests.support import BENCH_ENV, operator_of, poll, staff_of  # noqa: E402

JOB = re.compile(r"/staff/register/imports/([0-9a-f]{32})")


def register_file(count: int) -> bytes:
    prefix = uuid.uuid4().hex[:6].upper()
    lines = [f"B{prefix}-{n:06d},{1940 + n % 60}-{1 + n % 12:02d}-{1 + n % 28:02d}" for n in range(count)]
    return ("reference,date_of_birth\n" + "\n".join(lines) + "\n").encode()


def upload(gateway: str, code: str, session, data: bytes) -> tuple[float, float, dict]:
    """(seconds of the POST, seconds from the POST to the job's end, the job)."""
    page = session.get(f"{gateway}/m/{code}/staff/register?lang=en", timeout=30)
    started = time.perf_counter()
    answer = session.post(f"{gateway}/m/{code}/staff/register/imports?lang=en", timeout=300, allow_redirects=False,
                          data={"csrf_token": csrf_of(page.text), "mode": "append"},
                          files={"file": ("register.csv", data, "text/csv")})
    posted = time.perf_counter() - started
    assert answer.status_code == 303, answer.text[:500]
    job_id = JOB.search(answer.headers["Location"])[1]
    clerk = staff_of(gateway, code)
    job = poll(lambda: (lambda j: j if j["state"] in ("done", "failed") else None)(
        clerk.get(f"/eligibility/register/imports/{job_id}").json()), 900, f"import {job_id} to end", interval=0.2)
    return posted, time.perf_counter() - started, job


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as var:
        platform = Platform(var, gateway_port=0, env=BENCH_ENV).start()
        try:
            gateway = platform.gateway_url
            for count in args.rows:
                code = f"bench-{uuid.uuid4().hex[:6]}"  # a fresh register each time
                assert operator_of(gateway).post("/municipalities", json={
                    "code": code, "name": "Bench", "languages": ["sl", "en"]}).status_code == 201
                session = sign_in(gateway, staff_of(gateway, code).email)
                data = register_file(count)
                posted, seconds, job = upload(gateway, code, session, data)
                print(f"{count:,} rows ({len(data) / 1e6:.2f} MB): POST answered in {posted:.2f}s; "
                      f"POST -> job {job['state']} in {seconds:.1f}s: {count / seconds:,.0f} rows/s "
                      f"(accepted {job['accepted']:,}, rejected {job['rejected']:,}, on the register {job['eligible']:,})")
        finally:
            platform.stop()


if __name__ == "__main__":
    main()
