"""`civic run` as operators use it: refuses a busy port, and leaves nothing running when stopped
with SIGTERM or killed outright."""
from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support import login, poll, processes

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _descendants(pid: int) -> set[int]:
    """Every live process whose parent chain leads to `pid` (zombies excluded)."""
    parents = {int(entry.name): int(fields[1]) for entry, fields in processes() if fields[0] != "Z"}
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _start(tmp_path: Path, cwd: Path | None = None, *extra: str) -> tuple[subprocess.Popen, Path]:
    """`civic run` on a free port; with `cwd`, run from there with its default var/, as an operator would."""
    out = tmp_path / "run.out"
    where = [] if cwd else ["--var", str(tmp_path / "var")]
    run = subprocess.Popen([sys.executable, "-m", "services.cli", "run", "--port", "0", *where, *extra],
                           stdout=out.open("w"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                           cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})
    poll(lambda: "Press Ctrl-C" in out.read_text() or run.poll() is not None, 90, "civic run to be ready")
    assert run.poll() is None, out.read_text()
    return run, out


def test_sigterm_stops_every_part(tmp_path):
    run, out = _start(tmp_path)
    children = _descendants(run.pid)
    assert len(children) >= 14, "broker, database, SMTP, institution, five APIs and five workers"
    run.send_signal(signal.SIGTERM)
    assert run.wait(60) == 0, out.read_text()
    poll(lambda: not _alive(children), 30, "every part of the platform to stop")


def test_killing_the_launcher_takes_its_children_along(tmp_path):
    run, _ = _start(tmp_path)
    children = _descendants(run.pid)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(10)
    poll(lambda: not _alive(children), 60, "the orphaned parts to stop by themselves")


def _part(pids: set[int], word: str) -> set[int]:
    """The processes among `pids` whose command line holds `word`."""
    found = set()
    for pid in pids:
        try:
            if word in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                found.add(pid)
        except OSError:
            continue
    return found


def test_a_part_that_dies_is_started_again_on_its_data(tmp_path):
    """As compose's restart policy does: the database server killed, started again by `civic run`;
    the demo's accounts are still there, and nothing else was stopped."""
    run, out = _start(tmp_path, None, "--no-story")  # supervision begins once the story is told
    try:
        gateway = re.search(r"Platform:\s+(\S+)", out.read_text()).group(1)
        before = _descendants(run.pid)
        (database,) = _part(before, "secantusd")
        os.kill(database, signal.SIGKILL)
        poll(lambda: _part(_descendants(run.pid), "secantusd") - {database}, 60, "a new database server")
        assert "mongo exited (code -9); starting it again in 1 s" in out.read_text()
        poll(lambda: "mongo started again" in out.read_text(), 30, "the restart to be logged")
        staff = poll(lambda: _signed_in(gateway), 60, "the demo staff member to sign in again")
        assert staff.get("/proposals", params={"status": "pending"}).status_code == 200
        assert run.poll() is None and len(_alive(before)) == len(before) - 1, "only the database was restarted"
    finally:
        run.send_signal(signal.SIGTERM)
        assert run.wait(60) == 0, out.read_text()


def _signed_in(gateway: str):
    try:
        return login(gateway, "staff@idrija.si", "demo-password-1")
    except AssertionError:
        return None


def test_a_busy_gateway_port_is_refused_clearly(gateway, tmp_path):
    port = gateway.rsplit(":", 1)[1]
    refused = subprocess.run([sys.executable, "-m", "services.cli", "run", "--port", port, "--var",
                              str(tmp_path / "var")], capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert f"port {port} is already in use" in refused.stderr


def test_commands_in_a_second_terminal_find_the_running_platform(tmp_path):
    """As the README shows: `civic run` in one terminal, operators' commands in another."""
    run, out = _start(tmp_path, cwd=tmp_path)
    env_file = tmp_path / "var" / "platform.env"
    try:
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        gateway = re.search(r"Platform:\s+(\S+)", out.read_text()).group(1)
        terminal = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}  # a fresh shell
        terminal["PYTHONPATH"] = str(ROOT)

        def civic(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, "-m", "services.cli", *args], cwd=tmp_path, env=terminal,
                                  capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)

        email = f"clerk-{uuid.uuid4().hex[:8]}@idrija.si"
        created = civic("user", "create", "--email", email, "--password", "strong-pass-77", "--role", "staff",
                        "--municipality", "idrija")
        assert created.returncode == 0, created.stdout + created.stderr
        assert f"Created staff {email} (idrija)" in created.stdout
        assert created.stderr.count("\n") == 1 and f"settings from {env_file}" in created.stderr, created.stderr
        listing = civic("dlq", "list", "civic.voting")
        assert listing.returncode == 0, listing.stdout + listing.stderr
        assert listing.stdout.strip() == "No dead letters."
        staff = login(gateway, email, "strong-pass-77")
        assert staff.get("/proposals", params={"status": "pending"}).status_code == 200
    finally:
        run.send_signal(signal.SIGTERM)
        assert run.wait(60) == 0, out.read_text()
    assert not env_file.exists()  # a clean stop leaves nothing a later command could mistake for a platform
