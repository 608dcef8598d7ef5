"""The open-data page at /open-data: every dataset with its description, fields, licence, formats,
row count and last change; filtered by municipality; its links download the exports; sl/en/uk."""
from __future__ import annotations

import re

import requests

from tests.e2e.test_pages import browser
from tests.support import published_for_voting, register, staff_of

DATASETS = ("proposals", "results", "dossiers", "replies", "tracker")


def rows_of(html: str, heading: str) -> int:
    """The row count the summary table gives for a dataset."""
    match = re.search(rf'#dataset-{heading}">[^<]+</a></th>\s*<td class="number">(\d+)</td>', html)
    assert match, f"no row count for {heading}"
    return int(match.group(1))


def test_the_page_lists_every_dataset_with_its_licence_fields_formats_and_counts(gateway):
    staff = staff_of(gateway)
    published_for_voting(register(gateway), staff, theme="health")
    page = browser("en").get(f"{gateway}/open-data", timeout=30)
    assert page.status_code == 200
    html = page.text
    assert "<h1>Open data</h1>" in html and "CC BY 4.0" in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    for name in DATASETS:
        assert f'id="dataset-{name}"' in html
        assert f'href="/api/v1/open-data/{name}.json"' in html and f'href="/api/v1/open-data/{name}.csv"' in html
    assert "<code>proposal_id</code>" in html and "<code>turnout</code>" in html  # the fields
    assert "<code>author_id</code>" not in html
    national = requests.get(f"{gateway}/api/v1/open-data/proposals.json", timeout=60).json()["count"]
    assert rows_of(html, "proposals") == national > 0
    assert "/m/idrija/" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # a national page


def test_filtered_by_municipality_the_counts_and_links_are_that_municipality_s(gateway):
    page = browser("en").get(f"{gateway}/open-data", params={"municipality": "litija"}, timeout=30).text
    assert 'href="/api/v1/open-data/proposals.json?municipality=litija"' in page
    assert 'value="litija" selected' in page
    litija = requests.get(f"{gateway}/api/v1/open-data/proposals.json", params={"municipality": "litija"},
                          timeout=60).json()["count"]
    assert rows_of(page, "proposals") == litija
    unknown = browser("en").get(f"{gateway}/open-data", params={"municipality": "atlantis"}, timeout=30).text
    assert 'href="/api/v1/open-data/proposals.json"' in unknown  # an unknown code: all municipalities


def test_the_page_speaks_slovene_and_ukrainian(gateway):
    assert "<h1>Odprti podatki</h1>" in browser("sl").get(f"{gateway}/open-data", timeout=30).text
    assert "<h1>Відкриті дані</h1>" in browser("uk").get(f"{gateway}/open-data?lang=uk", timeout=30).text
