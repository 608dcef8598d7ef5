"""Similar-proposal ranking and the Markdown subset, pure."""
from __future__ import annotations

import pytest

from proposals import markup, similar

CORPUS = [
    ("sl-cafe", "Jezikovna kavarna v knjižnici. Tedenski večeri pogovora v slovenščini za priseljence."),
    ("en-cafe", "Language café at the library. Weekly Slovene conversation evenings for newcomers."),
    ("uk-cafe", "Мовне кафе в бібліотеці. Щотижневі вечори розмов словенською для новоприбулих."),
    ("sl-flat", "Več stanovanj za mlade družine. Občina naj zgradi neprofitna stanovanja."),
    ("en-river", "Cleaner river banks. Volunteers clean the Idrijca river every spring."),
    ("uk-doctor", "Безкоштовний лікар для дітей. Педіатр у медичному центрі для всіх дітей."),
]


@pytest.mark.parametrize("query,expected", [
    ("Jezikovne kavarne v knjiznicah za priseljence", "sl-cafe"),   # inflected, no diacritics
    ("A language cafe in the library for newcomers", "en-cafe"),
    ("Мовне кафе у бібліотеці для новоприбулих", "uk-cafe"),
    ("Neprofitna stanovanja za mlade druzine", "sl-flat"),
    ("Педіатр для дітей", "uk-doctor"),
])
def test_the_look_alike_comes_first_in_each_language(query, expected):
    ranked = similar.rank(query, CORPUS)
    assert ranked and ranked[0][0] == expected


def test_an_unrelated_text_suggests_nothing():
    assert similar.rank("Night buses to Ljubljana on weekends", CORPUS) == []


def test_folding_strips_accents_and_transliterates_cyrillic():
    assert similar.fold("Čšž Éé") == "csz ee"
    assert similar.fold("Київ") == "kyiv"
    assert similar.search_terms("Stanovanja, stanovanja!") == ["stanovanja"]


def test_raw_html_is_removed_from_the_source_even_when_escaped():
    assert markup.clean_source("Hi <script>alert(1)</script><b>you</b>") == "Hi you"
    assert "script" not in markup.clean_source("x &lt;script&gt;alert(1)&lt;/script&gt;")
    assert markup.clean_source("1 < 2 & 3 > 2") == "1 < 2 & 3 > 2"


def test_the_markdown_subset_renders_to_safe_html():
    html = markup.render("## Why\n\n**Bold** and *em*\n\n- [site](https://idrija.si)\n- [x](javascript:alert(1))")
    assert "<h3>Why</h3>" in html and "<strong>Bold</strong>" in html and "<em>em</em>" in html
    assert '<a href="https://idrija.si" rel="noopener noreferrer nofollow">site</a>' in html
    assert "javascript:" not in html.split("</a>")[-1] or 'href="javascript' not in html
    assert "<script" not in markup.render("<script>alert(1)</script>")
