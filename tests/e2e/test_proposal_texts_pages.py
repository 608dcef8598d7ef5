"""A proposal in its languages on the web: the visitor's language first when a translation exists,
a switch to the original and the other translations; the earlier versions for its author and staff
only; similar proposals linked."""
from __future__ import annotations

import re

from tests import support
from tests.e2e.test_pages import browser, sign_in


def test_translations_are_switched_and_the_visitor_s_language_comes_first(gateway):
    author, staff = support.register(gateway), support.staff_of(gateway)
    pid = author.submit(title="Language café at the town library",
                        summary="Weekly Slovene conversation evenings for newcomers.")["id"]
    answer = author.put(f"/proposals/{pid}/translations/uk", json={
        "title": "Мовне кафе в міській бібліотеці", "summary": "Щотижневі вечори розмовної словенської.",
        "body": "Волонтери ведуть зустрічі."})
    assert answer.status_code == 200, answer.text
    approved = staff.post(f"/proposals/{pid}/moderation", json={
        "decision": "approve", "competence": "municipal", "justification": "The library is the municipality's."})
    assert approved.status_code == 200, approved.text
    page = f"{gateway}/m/idrija/proposals/{pid}"
    ukrainian = browser().get(f"{page}?lang=uk", timeout=30).text
    assert '<h1 id="proposal-title" lang="uk" dir="auto">Мовне кафе в міській бібліотеці</h1>' in ukrainian
    assert "Волонтери ведуть зустрічі." in ukrainian
    assert f'href="/m/idrija/proposals/{pid}?text=original"' in ukrainian
    original = browser().get(f"{page}?lang=uk&text=original", timeout=30).text
    assert '<h1 id="proposal-title" lang="en" dir="auto">Language café at the town library</h1>' in original
    english = browser().get(f"{page}?lang=en", timeout=30).text
    assert ">Language café at the town library</h1>" in english and "This proposal is also translated." in english
    assert re.search(rf'href="/m/idrija/proposals/{pid}\?text=uk" lang="uk"', english)


def test_earlier_versions_are_for_the_author_and_staff(gateway):
    author = support.register(gateway)
    created = author.submit(title="Bicycle repair workshop for newcomers")
    assert author.patch(f"/proposals/{created['id']}", json={"summary": "Saturday mornings at the youth centre."}).status_code == 200
    page = f"{gateway}/m/idrija/proposals/{created['id']}"
    mine = sign_in(gateway, author.email)
    assert "/versions" in mine.get(f"{page}?lang=en", timeout=30).text
    versions = mine.get(f"{page}/versions?lang=en", timeout=30)
    assert versions.status_code == 200 and "Earlier versions" in versions.text
    assert "Weekly Slovene conversation evenings for newcomers." in versions.text  # the first summary
    stranger = sign_in(gateway, support.register(gateway).email)
    assert stranger.get(f"{page}/versions", timeout=30).status_code == 404


def test_similar_proposals_are_linked(gateway):
    staff = support.staff_of(gateway)
    first = support.published_for_voting(support.register(gateway), staff, title="Free Slovene lessons at the library")
    second = support.published_for_voting(support.register(gateway), staff, title="Slovene lessons at the library for free")
    html = browser().get(f"{gateway}/m/idrija/proposals/{second}?lang=en", timeout=30).text
    similar = re.search(r'<section class="similar".*?</section>', html, re.S)
    assert similar and f"/m/idrija/proposals/{first}" in similar.group(0)
