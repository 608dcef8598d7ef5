"""civic run's supervision: a part that exits is started again after a delay that doubles while it
keeps failing (1, 2, 4 ... 30 s) and starts over once the part has held for a minute."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from services.local import supervise
from services.local.supervise import Supervisor


class FakeProc:
    def __init__(self):
        self.up, self.pid, self.log_path = True, 1, Path("/tmp/part.log")
        self.popen = SimpleNamespace(returncode=-9)

    def alive(self) -> bool:
        return self.up


class FakePlatform:
    def __init__(self):
        self.procs = {"mongo": FakeProc(), "voting-worker": FakeProc()}
        self.restarted: list[str] = []

    def restart(self, name: str) -> FakeProc:
        self.restarted.append(name)
        self.procs[name] = FakeProc()
        return self.procs[name]


def test_a_dead_part_waits_a_doubling_delay_and_only_it_is_restarted(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(supervise.time, "monotonic", lambda: now[0])
    platform, said = FakePlatform(), []
    watcher = Supervisor(platform, say=said.append)
    waits = []
    for _ in range(4):
        platform.procs["mongo"].up = False
        assert watcher.tick() == []  # noted, not yet restarted
        started = now[0]
        while not watcher.tick():
            now[0] += 0.5
        waits.append(now[0] - started)
        now[0] += 5  # fails again soon after: no reset
    assert waits == [1.0, 2.0, 4.0, 8.0]
    assert platform.restarted == ["mongo"] * 4
    assert said[0].startswith("mongo exited (code -9); starting it again in 1 s")
    assert said[1] == "mongo started again (pid 1, restart 1)"


def test_the_delay_starts_over_once_a_part_has_held_for_a_minute(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(supervise.time, "monotonic", lambda: now[0])
    platform = FakePlatform()
    watcher = Supervisor(platform, say=lambda line: None)
    for _ in range(3):  # three quick failures: the next wait would be 8 s
        platform.procs["mongo"].up = False
        watcher.tick()
        now[0] += 30
        watcher.tick()
    now[0] += 61
    watcher.tick()  # it has held
    platform.procs["mongo"].up = False
    watcher.tick()
    now[0] += 1
    assert watcher.tick() == ["mongo"]


def test_the_longest_wait_is_capped():
    watcher = Supervisor(FakePlatform(), say=lambda line: None, first=16, longest=30)
    watcher.delay["mongo"] = 64
    platform = watcher.platform
    platform.procs["mongo"].up = False
    watcher.tick()
    assert watcher.delay["mongo"] == 30
