"""Operators' commands."""
from __future__ import annotations

import uuid

from click.testing import CliRunner

from services.cli import main as civic
from tests.support import login


def test_user_create_makes_a_staff_account_that_can_sign_in(gateway):
    email = f"clerk-{uuid.uuid4().hex[:8]}@litija.si"
    result = CliRunner().invoke(civic, ["user", "create", "--email", email, "--password", "strong-pass-77",
                                        "--role", "staff", "--municipality", "litija"])
    assert result.exit_code == 0, result.output
    assert f"Created staff {email} (litija)" in result.output
    staff = login(gateway, email, "strong-pass-77")
    assert staff.get("/proposals", params={"status": "pending"}).status_code == 200


def test_user_create_explains_what_is_wrong(gateway):
    result = CliRunner().invoke(civic, ["user", "create", "--email", "x@example.org", "--password", "short",
                                        "--role", "staff", "--municipality", "atlantis"])
    assert result.exit_code != 0
    assert "Unknown municipality" in result.output and "municipality" in result.output


def test_seed_is_idempotent(gateway):
    first = CliRunner().invoke(civic, ["seed"])
    second = CliRunner().invoke(civic, ["seed"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "Seeded Idrija" in second.output
    processes = login(gateway, "staff@idrija.si", "demo-password-1").get("/processes").json()
    assert [p["id"] for p in processes].count("idrija-vkljucujoca") == 1  # other tests add processes of their own


def test_the_demo_municipality_publishes_its_signing_key(gateway):
    import requests

    keys = requests.get(f"{gateway}/.well-known/civic-keys.json", timeout=10).json()["keys"]
    assert any(key.get("municipality") == "idrija" for key in keys), keys
