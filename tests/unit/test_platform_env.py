"""The file `civic run` leaves for its neighbours: written for the owner only, read back exactly,
used only when no CIVIC_* variable is set, and ignored once its writer is gone."""
from __future__ import annotations

import os
import stat
import subprocess

import pytest

from services import settings

VALUES = {"CIVIC_MONGO_URI": "mongodb://127.0.0.1:41234/?directConnection=true&w=majority",
          "CIVIC_MAIL_FROM": "Civic platform <no-reply@civic.local>", "CIVIC_KAFKA_BOOTSTRAP": "127.0.0.1:41235"}


@pytest.fixture
def shell(monkeypatch, tmp_path):
    """A fresh environment without CIVIC_* variables, in a folder with var/."""
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    yield tmp_path / "var" / "platform.env"
    settings.reset_settings()


def test_written_for_the_owner_only_and_read_back_exactly(tmp_path):
    path = tmp_path / "platform.env"
    settings.write_env_file(path, VALUES, pid=4242)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.read_env_file(path) == (VALUES, 4242)
    sourced = subprocess.run(["sh", "-c", f". {path} && printf %s \"$CIVIC_MAIL_FROM\""], capture_output=True,
                             text=True, check=True)
    assert sourced.stdout == VALUES["CIVIC_MAIL_FROM"]  # a shell can source it too


def test_a_command_with_no_civic_variable_takes_the_running_platforms(shell):
    settings.write_env_file(shell, VALUES, pid=os.getpid())
    used, note = settings.load_platform_env()
    assert used == shell.resolve() and str(shell.resolve()) in note and "\n" not in note
    assert settings.get_settings().mongo_uri == VALUES["CIVIC_MONGO_URI"]


def test_any_civic_variable_wins_over_the_file(shell):
    settings.write_env_file(shell, VALUES, pid=os.getpid())
    os.environ["CIVIC_LOG_LEVEL"] = "DEBUG"
    assert settings.load_platform_env() == (None, "")
    assert "CIVIC_MONGO_URI" not in os.environ


def test_a_file_left_by_a_platform_that_is_gone_is_ignored(shell):
    gone = subprocess.Popen(["true"])
    gone.wait()
    settings.write_env_file(shell, VALUES, pid=gone.pid)
    used, note = settings.load_platform_env()
    assert used is None and f"pid {gone.pid}) is gone" in note
    assert "CIVIC_MONGO_URI" not in os.environ
