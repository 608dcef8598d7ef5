"""Operators keep the national directory from the command line: operator and institution accounts,
`civic institution list/set/api-key`, and an institution account linked at creation acts for it."""
from __future__ import annotations

import uuid

from click.testing import CliRunner

from services.cli import main as civic
from tests.support import forwarded_to, login, staff_of, wait_status


def _civic(*args: str):
    return CliRunner().invoke(civic, list(args))


def test_an_operator_created_on_the_command_line_edits_the_directory_and_staff_cannot(gateway):
    email = f"operator-{uuid.uuid4().hex[:8]}@civic.si"
    created = _civic("user", "create", "--email", email, "--password", "strong-pass-77", "--role", "operator")
    assert created.exit_code == 0, created.output
    operator, staff = login(gateway, email, "strong-pass-77"), staff_of(gateway)
    assert operator.request("PATCH", "/institutions/mz", json={"deadline_days": 30}).status_code == 200
    assert staff.request("PATCH", "/institutions/mz", json={"deadline_days": 1}).status_code == 403
    assert staff.post("/institutions/mz/api-key").status_code == 403


def test_institution_commands_and_an_account_linked_at_creation(gateway):
    listed = _civic("institution", "list")
    assert listed.exit_code == 0 and "mddsz" in listed.output and "uoim" in listed.output, listed.output
    assert _civic("institution", "set", "nope", "--deadline-days", "3").exit_code != 0

    unknown = _civic("user", "create", "--email", f"x-{uuid.uuid4().hex[:6]}@gov.si", "--password",
                     "strong-pass-77", "--role", "institution", "--institution", "nope")
    assert unknown.exit_code != 0 and "No institution nope" in unknown.output

    email = f"vlozisce-{uuid.uuid4().hex[:8]}@mz.gov.si"
    created = _civic("user", "create", "--email", email, "--password", "strong-pass-77", "--role", "institution",
                     "--institution", "mz")
    assert created.exit_code == 0 and f"{email} acts for mz" in created.output, created.output
    ministry, staff = login(gateway, email, "strong-pass-77"), staff_of(gateway)
    _author, pid, dossiers = forwarded_to(gateway, staff, ["mz"])
    wait_status(staff, pid, "mz", "acknowledged")  # the stand-in intake acknowledges webhooks itself
    answer = ministry.post(f"/portal/dossiers/{dossiers[0]['id']}/reply",
                           json={"status": "accepted", "text": "Sprejeto."})
    assert answer.status_code == 201, answer.text
    assert answer.json()["reply"]["via"] == "account"

    key = _civic("institution", "api-key", "mz")
    assert key.exit_code == 0 and key.output.strip().startswith("civ_mz_"), key.output
