"""A member of staff uploads the municipality's register in Chromium, on a desktop and on a phone, with
axe-core on every page: a file of 10,000 rows (some of them wrong) chosen in the form, the import's
page refreshing itself (no script) until the report, the rejected rows a page at a time, the counts
on the register page and the dashboard; then a replace, stopped at its confirmation."""
from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import sign_in_on_page
from tests.support import poll

ROWS = 10_000
BAD = 60  # rows without a date of birth: more than one page of the report (50 a page)


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def register_file(folder, rows: int, bad: int) -> str:
    path = folder / "register.csv"
    lines = [f"BR-{n:06d}," + ("" if n < bad else f"19{50 + n % 50}-0{1 + n % 9}-1{n % 9}") for n in range(rows)]
    path.write_text("reference,date_of_birth\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def seen(page, name: str) -> None:
    """axe on the page; with CIVIC_SCREENSHOTS set, also a screenshot in var/screenshots (to look at)."""
    check_axe(page)
    if os.environ.get("CIVIC_SCREENSHOTS"):
        folder = Path(__file__).resolve().parents[2] / "var" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"register-{page.context.device}-{name}.png"), full_page=True)


def axe_while_refreshing(page) -> None:
    """axe on a page that reloads itself every 2 s: a run cut short by the reload is run again."""
    def checked():
        try:
            seen(page, "progress")
        except PlaywrightError:  # "Execution context was destroyed": the page refreshed meanwhile
            return False
        return True
    poll(checked, 60, "an axe run between two refreshes of the progress page", interval=0.1)


def test_staff_upload_a_register_of_10000_rows_and_follow_it_to_the_report(gateway, page, tmp_path):
    code = f"brw-{uuid.uuid4().hex[:6]}"
    assert support.operator_of(gateway).post("/municipalities", json={
        "code": code, "name": "Brskalnik", "languages": ["sl", "en", "uk"]}).status_code == 201
    staff = support.staff_of(gateway, code)
    page.goto(f"{gateway}/login?next=/m/{code}/staff/register&lang=en")
    sign_in_on_page(page, staff.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Eligibility register")
    expect(page.get_by_text("The register has not been imported yet.")).to_be_visible()
    seen(page, "register-empty")

    page.get_by_label("Register file (CSV)").set_input_files(register_file(tmp_path, ROWS, BAD))
    expect(page.get_by_label("Add to the register")).to_be_checked()
    activate(page.get_by_role("button", name="Upload the file"))
    expect(page).to_have_url(re.compile(r"/staff/register/imports/[0-9a-f]{32}"))
    if page.get_by_role("heading", name="Importing the register").count():
        expect(page.locator("progress")).to_have_attribute("max", str(ROWS))
        expect(page.get_by_text(re.compile(r"[\d,]+ of 10,000 rows"))).to_be_visible()
        expect(page.get_by_role("link", name="Stop refreshing this page")).to_be_visible()
        axe_while_refreshing(page)
    # The page refreshes itself (the Refresh header, no script) until the import ends.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import finished", timeout=240_000)
    expect(page.locator("dt", has_text="Rows accepted").locator("xpath=following-sibling::dd")).to_have_text(
        f"{ROWS - BAD:,}")
    expect(page.get_by_text("60 rows were rejected.")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Rejected rows 1 to 50 of 60"))
    expect(table.get_by_role("row")).to_have_count(51)
    first = table.get_by_role("row").nth(1).get_by_role("cell")
    expect(first.nth(0)).to_have_text("2")
    expect(first.nth(1)).to_have_text("The date of birth is missing.")
    seen(page, "report")
    activate(page.get_by_role("navigation", name="Pages of rejected rows").get_by_role("link", name="Next page"))
    expect(page.get_by_role("table", name=re.compile("Rejected rows 51 to 60 of 60"))).to_be_visible()
    seen(page, "report-page-2")

    activate(page.get_by_role("link", name="Back to the register"))
    counts = page.locator(".register-counts")
    expect(counts).to_contain_text(f"{ROWS - BAD:,} residents on the register")
    seen(page, "register-after")
    activate(page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Overview"))
    expect(page.get_by_role("link", name=re.compile("60 rows of the last import were rejected"))).to_be_visible(
        timeout=30_000)  # the dashboard asks every section's service
    seen(page, "dashboard")

    # A replace asks first, and says what it would take off.
    activate(page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Eligibility register"))
    small = tmp_path / "new-register.csv"
    small.write_text("reference,date_of_birth\nBR-009999,1998-01-18\n", encoding="utf-8")
    page.get_by_label("Register file (CSV)").set_input_files(str(small))
    activate(page.get_by_label("Replace the register"))
    activate(page.get_by_role("button", name="Upload the file"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the replacement of the register")
    expect(page.get_by_text(f"Replacing the register takes {ROWS - BAD - 1:,} entries off it")).to_be_visible()
    seen(page, "confirm")
    activate(page.get_by_role("button", name="Cancel: keep the register as it is"))
    expect(page.get_by_text("The replacement was cancelled. The register is unchanged.")).to_be_visible()
    expect(counts).to_contain_text(f"{ROWS - BAD:,} residents on the register")
    seen(page, "cancelled")
