"""The open-data page in Chromium, on a desktop and on a phone, with axe-core: a reader finds the
datasets, filters by municipality, opens a dataset's fields and downloads its CSV."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import activate, check_axe


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def test_a_reader_filters_the_datasets_reads_the_fields_and_downloads_a_csv(gateway, page):
    page.goto(f"{gateway}/open-data?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    expect(page.get_by_role("table", name="Datasets of all municipalities")).to_be_visible()
    check_axe(page)
    page.get_by_label("Municipality").select_option("idrija")
    activate(page.get_by_role("button", name="Show"))
    expect(page.get_by_role("table", name="Datasets of the municipality of Idrija")).to_be_visible()
    check_axe(page)
    fields = page.locator("#dataset-results details summary")
    activate(fields)
    expect(page.locator("#dataset-results").get_by_role("rowheader", name="turnout")).to_be_visible()
    check_axe(page)
    with page.expect_download() as download:
        activate(page.get_by_role("link", name="Vote results as CSV"))
    assert download.value.suggested_filename == "results-idrija.csv"
    with open(download.value.path(), encoding="utf-8-sig") as file:
        assert file.readline().startswith("proposal_id,municipality,")
