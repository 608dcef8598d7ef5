"""Finding things on the pages (issue 11, part 2): the proposals list searched, filtered, sorted and paged
with GET forms and links, its empty states, and the processes with their themes and phases.

Every proposal here carries a word of its own (letters only: the service's search words are runs of
letters), and lives in a process made for this module, so other tests' proposals never get in the way."""
from __future__ import annotations

import html
import re
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from babel.dates import format_date

from proposals.domain import PHASES
from proposals.schemas.common import SORTS
from tests import support
from tests.e2e.test_pages import browser
from tests.support import poll

TEMPLATES = Path(__file__).resolve().parents[2] / "gateway" / "templates"


def word() -> str:
    """A made-up word found in no other proposal (letters only)."""
    return uuid.uuid4().hex[:12].translate(str.maketrans("0123456789", "ghijklmnop"))


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Ljubljana")).date()


def phase(code: str, starts: int, ends: int) -> dict:
    """A phase from `starts` to `ends` days from today."""
    return {"code": code, "starts_on": (today() + timedelta(days=starts)).isoformat(),
            "ends_on": (today() + timedelta(days=ends)).isoformat()}


def page(gateway: str, query: str = "", session: requests.Session | None = None) -> str:
    answer = (session or browser()).get(f"{gateway}/m/idrija/?lang=en&{query}", timeout=30)
    assert answer.status_code == 200, answer.text[-500:]
    return answer.text


def main_of(text: str) -> str:
    return text[text.index('<main id="main"'):text.index("</main>")]


def titles_in(text: str) -> list[str]:
    """The proposals' titles on a list page, in their order."""
    return [html.unescape(t) for t in re.findall(r'<li class="proposal-card">\s*<h2[^>]*><a [^>]*>([^<]+)</a>', text)]


def approve(staff: support.Client, proposal: dict, competence: str) -> str:
    answer = staff.post(f"/proposals/{proposal['id']}/moderation", json={
        "decision": "approve", "competence": competence, "justification": "As agreed in the workshop."})
    assert answer.status_code == 200, answer.text
    return proposal["id"]


@pytest.fixture(scope="module")
def found(gateway):
    """Two processes of Idrija (one deliberating, one in its workshops), four published proposals sharing
    one word, each in its own theme, competence or process."""
    staff, author = support.staff_of(gateway), support.register(gateway)
    common = word()
    deliberating = support.new_process(staff, themes=["housing", "employment", "culture"],
                                       title={"sl": "Skupaj za Idrijo", "en": f"Together for Idrija {word()}"},
                                       description={"en": "Ideas for newcomers.\n\nSecond paragraph."},
                                       phases=[phase("focus_groups", -20, -11), phase("deliberation", -10, 5),
                                               phase("vote", 6, 20), phase("adoption", 21, 30)])
    in_workshops = support.new_process(staff, themes=["employment"], phases=[phase("workshops", -3, 3)])
    made = {}
    for key, title, theme, competence, process in (
            ("bicycles", f"Bicycle repair corner {common}", "housing", "municipal", deliberating),
            ("cafe", f"Language café {common}", "employment", "national", deliberating),
            ("bus", f"Night bus to Spodnja Idrija {common}", "culture", "shared", deliberating),
            ("course", f"Job seekers' course {common}", "employment", "national", in_workshops)):
        proposal = author.submit(title=title, theme=theme, process_id=process["id"],
                                 summary="A proposal of the finding tests, in one sentence.")
        made[key] = {"id": approve(staff, proposal, competence), "title": title}
    return {"word": common, "staff": staff, "author": author, "process": deliberating,
            "workshops": in_workshops, **made}


def test_the_search_finds_a_proposal_by_a_word_of_its_title_and_not_the_others(gateway, found):
    text = page(gateway, f"q=bicycle+{found['word']}")
    assert 'role="search"' in text and '<label for="q">Search proposals</label>' in text
    assert '<input type="search" id="q" name="q" value="bicycle ' + found["word"] + '"' in text
    assert titles_in(text) == [found["bicycles"]["title"]]
    assert "1 proposal</p>" in text
    # The search is shown as an active filter that can be removed.
    assert "Active filters:" in text and f'Search: <span dir="auto">“bicycle {found["word"]}”</span>' in text
    assert 'href="/m/idrija/"' in main_of(text)  # removing the only filter: the whole list
    everything = page(gateway, f"q={found['word']}")
    assert sorted(titles_in(everything)) == sorted(found[k]["title"] for k in ("bicycles", "cafe", "bus", "course"))


def test_each_filter_narrows_the_list(gateway, found):
    common, process, workshops = found["word"], found["process"]["id"], found["workshops"]["id"]
    everything = {found[k]["title"] for k in ("bicycles", "cafe", "bus", "course")}
    assert set(titles_in(page(gateway, f"q={common}"))) == everything
    in_process = page(gateway, f"q={common}&process={process}")
    assert set(titles_in(in_process)) == everything - {found["course"]["title"]}
    assert f'<option value="{process}" selected' in in_process  # the process select shows the choice
    assert titles_in(page(gateway, f"q={common}&process={process}&theme=housing")) == [found["bicycles"]["title"]]
    assert set(titles_in(page(gateway, f"q={common}&competence=national"))) == {
        found["cafe"]["title"], found["course"]["title"]}
    by_phase = page(gateway, f"q={common}&phase=workshops")
    assert titles_in(by_phase) == [found["course"]["title"]]
    assert "Phase: Workshops" in by_phase and f'<option value="workshops" selected>' in by_phase
    assert titles_in(page(gateway, f"q={common}&phase=deliberation&theme=culture")) == [found["bus"]["title"]]
    # A theme without a label of the pages' own is named as the national catalogue names it.
    assert "Culture and leisure" in page(gateway, f"q={common}&theme=culture")
    # Every phase and every sort of the service is offered.
    text = page(gateway)
    for code in PHASES:
        assert f'<option value="{code}"' in text
    for code in SORTS:
        assert f'<option value="{code}"' in text
    assert workshops in text  # more than one process: the process filter is offered


def test_the_sorts_order_as_named(gateway, found):
    query = f"q={found['word']}&process={found['process']['id']}"
    oldest = [found[k]["title"] for k in ("bicycles", "cafe", "bus")]
    assert titles_in(page(gateway, query + "&sort=oldest")) == oldest
    assert titles_in(page(gateway, query)) == oldest[::-1]  # newest first by default
    assert '<option value="oldest" selected>' in page(gateway, query + "&sort=oldest")
    # Two comments on the café, one on the bicycles: most discussed first.
    resident = support.register(gateway)
    for key, times in (("cafe", 2), ("bicycles", 1)):
        poll(lambda: resident.get(f"/proposals/{found[key]['id']}/results").status_code == 200, 30,
             "the voting service to learn of the published proposal")
        for n in range(times):
            answer = resident.post(f"/proposals/{found[key]['id']}/comments",
                                   json={"body": f"Comment {n} of the sort test.", "alignment": "for"})
            assert answer.status_code == 201, answer.text
    poll(lambda: titles_in(page(gateway, query + "&sort=most_discussed")) == [
        found["cafe"]["title"], found["bicycles"]["title"], found["bus"]["title"]], 30,
        "the comment counts to reach the proposals service")
    text = page(gateway, query + "&sort=most_discussed")
    assert "2 comments" in text and "1 comment" in text


def test_pagination_has_numbered_links_with_the_current_page_marked_and_keeps_the_filters(gateway, found):
    staff, author = found["staff"], found["author"]
    process = support.new_process(staff, themes=["health"])
    common = word()
    for n in range(12):
        approve(staff, author.submit(title=f"Clinic hours {n:02d} {common}", theme="health", process_id=process["id"],
                                     summary="A proposal of the pagination test, in one sentence."), "national")
    query = f"q={common}&process={process['id']}&sort=oldest"
    first = page(gateway, query)
    assert "12 proposals" in first and "Page 1 of 2" in first
    nav = re.search(r'<nav class="pagination" aria-label="Pages">.*?</nav>', first, re.S).group(0)
    assert re.search(r'<a href="[^"]*page=1"[^>]*aria-current="page">1</a>', nav)
    second_link = re.search(r'<a href="([^"]*page=2)"[^>]*>2</a>', nav).group(1)
    assert 'rel="next"' in nav and 'rel="prev"' not in nav
    link = html.unescape(second_link)
    for kept in (f"q={common}", f"process={process['id']}", "sort=oldest"):
        assert kept in link
    second = browser().get(f"{gateway}{link}&lang=en", timeout=30).text
    assert titles_in(second) == [f"Clinic hours {n:02d} {common}" for n in (10, 11)]
    nav = re.search(r'<nav class="pagination".*?</nav>', second, re.S).group(0)
    assert re.search(r'aria-current="page">2</a>', nav) and 'rel="prev"' in nav and 'rel="next"' not in nav
    assert "Page 2 of 2" in second


def test_long_ranges_of_pages_are_shortened_with_ellipses():
    """The macro alone: first, last, two either side of the current page, an ellipsis for each longer gap."""
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_null_translations(newstyle=True)
    macro = env.from_string('{% from "_pagination.html" import pagination %}{{ pagination(page, pages, url) }}')

    def shown(current: int, pages: int) -> list[str]:
        text = macro.render(page=current, pages=pages, url=lambda n: f"?page={n}")
        return [number or gap for number, gap in re.findall(r'>(\d+)</a>|(…)', text)]

    assert shown(10, 40) == ["1", "…", "8", "9", "10", "11", "12", "…", "40"]
    assert shown(1, 40) == ["1", "2", "3", "…", "40"]
    assert shown(5, 40) == ["1", "2", "3", "4", "5", "6", "7", "…", "40"]  # no ellipsis for one page
    assert shown(40, 40) == ["1", "…", "38", "39", "40"]
    assert shown(3, 5) == ["1", "2", "3", "4", "5"]
    assert macro.render(page=1, pages=1, url=str).strip() == ""
    text = macro.render(page=10, pages=40, url=lambda n: f"?page={n}")
    assert text.count('aria-current="page"') == 1 and 'aria-current="page">10</a>' in text


def test_empty_states_say_what_did_not_match_and_offer_to_clear_it(gateway, found):
    missing = word()
    nothing = main_of(page(gateway, f"q={missing}&competence=shared"))
    assert "No proposals match your search" in nothing
    assert f'<li>Search: <span dir="auto">“{missing}”</span></li>' in nothing  # the visitor's words, isolated
    assert "<li>Competence: Shared (municipal and national)</li>" in nothing
    assert '<a href="/m/idrija/">Clear all filters</a>' in nothing
    assert "proposal-card" not in nothing
    filtered = main_of(page(gateway, f"process={found['workshops']['id']}&theme=housing&sort=oldest"))
    assert "No proposals match these filters" in filtered and '<li>Theme: <span dir="auto">Housing</span></li>' in filtered
    assert '<li>Process: <span dir="auto">Test process</span></li>' in filtered
    assert '<a href="/m/idrija/?sort=oldest">Clear all filters</a>' in filtered  # the sort is kept


def test_a_municipality_without_proposals_invites_the_first_one(gateway):
    code = f"bled-{uuid.uuid4().hex[:6]}"
    created = support.operator_of(gateway).post("/municipalities", json={
        "code": code, "name": "Bled", "languages": ["sl", "en"], "accent_colour": "#1d5e8c"})
    assert created.status_code == 201, created.text

    def about_bled(path: str):
        # Each gateway worker learns of a new municipality when its few seconds' cache expires; until
        # then its pages fall back to another municipality: wait for pages about Bled.
        def answered() -> str | None:
            answer = browser().get(f"{gateway}/m/{code}/{path}?lang=en", timeout=30)
            return answer.text if answer.status_code == 200 and "Municipality of Bled" in answer.text else None
        return main_of(poll(answered, 30, f"the gateway's /m/{code}/{path} to be about the new municipality"))

    text = about_bled("")
    assert "No proposals yet" in text and "Yours could be the first one!" in text
    assert f'href="/m/{code}/proposals/new">Submit a proposal</a>' in text
    assert "No processes yet" in about_bled("processes")


def test_the_process_page_shows_its_phases_with_the_current_one_marked(gateway, found):
    process = found["process"]
    answer = browser().get(f"{gateway}/m/idrija/processes/{process['id']}?lang=en", timeout=30)
    assert answer.status_code == 200
    text = main_of(answer.text)
    assert f'<h1 lang="en" dir="auto">{process["title"]["en"]}</h1>' in text
    assert "<p>Ideas for newcomers.</p>" in text and "<p>Second paragraph.</p>" in text
    timeline = re.search(r'<ol class="phase-timeline">(.*?)</ol>', text, re.S).group(1)
    items = re.findall(r'<li class="phase phase-(\w+)"([^>]*)>(.*?)</li>', timeline, re.S)
    assert [(state, re.search(r"<h3>\s*([^<]+?)\s*<", body).group(1)) for state, _, body in items] == [
        ("past", "Focus groups"), ("current", "Deliberation"), ("next", "Voting"), ("upcoming", "Adoption")]
    assert [attrs.strip() for _, attrs, _ in items] == ["", 'aria-current="step"', "", ""]
    assert "Happening now" in items[1][2] and "Coming next" in items[2][2] and "Finished" in items[0][2]

    def day(offset: int) -> str:
        moment = today() + timedelta(days=offset)
        return f'<time datetime="{moment.isoformat()}">{format_date(moment, "long", locale="en")}</time>'

    assert f"From {day(-10)} to {day(5)}" in items[1][2]
    assert f"Now: Deliberation, until {day(5)}." in text
    assert f"Next: Voting, from {day(6)} (in 6 days)." in text
    # Its proposals, a proposal of one's own in it, and each theme's proposals.
    assert f'<a href="/m/idrija/?process={process["id"]}">Proposals in this process</a> (3 proposals)' in text
    assert f'href="/m/idrija/proposals/new?process_id={process["id"]}"' in text
    assert f'<a href="/m/idrija/processes/{process["id"]}/approval-votes">Approval ballots</a>' in text
    theme_link = f'/m/idrija/?process={process["id"]}&amp;theme=housing'
    assert f'<a href="{theme_link}" dir="auto">Housing</a>' in text
    assert f'<a href="/m/idrija/?process={process["id"]}&amp;theme=culture" dir="auto">Culture and leisure</a>' in text
    assert titles_in(page(gateway, html.unescape(theme_link).split("?", 1)[1])) == [found["bicycles"]["title"]]
    # In Slovene, the dates are Slovene.
    slovene = browser().get(f"{gateway}/m/idrija/processes/{process['id']}?lang=sl", timeout=30).text
    assert format_date(today() + timedelta(days=5), "long", locale="sl") in slovene


def test_the_processes_are_listed_and_in_the_main_menu(gateway, found):
    answer = browser().get(f"{gateway}/m/idrija/processes?lang=en", timeout=30)
    assert answer.status_code == 200
    text = answer.text
    assert re.search(r'<a href="/m/idrija/processes" aria-current="page">Processes</a>', text)
    listed = main_of(text)
    process = found["process"]
    assert f'href="/m/idrija/processes/{process["id"]}">{process["title"]["en"]}</a>' in listed
    assert "Now: Deliberation, until" in listed and "Now: Workshops, until" in listed
    assert f'href="/m/idrija/processes/{support.PROCESS}"' in listed  # the demo process, without phases
    assert "No phases have been planned yet." in listed
    assert f'<a href="/m/idrija/?process={process["id"]}">Proposals in this process' in listed
    one = browser().get(f"{gateway}/m/idrija/processes/{process['id']}?lang=en", timeout=30).text
    assert 'href="/m/idrija/processes" aria-current="true">Processes</a>' in one
    assert 'href="/m/idrija/processes" aria-current="page"' not in page(gateway)


def test_an_unknown_or_another_municipality_s_process_is_a_404(gateway):
    assert browser().get(f"{gateway}/m/idrija/processes/no-such-process", timeout=30).status_code == 404
    other = browser().get(f"{gateway}/m/idrija/processes/{support.PROCESSES['litija']}?lang=en", timeout=30)
    assert other.status_code == 404 and "Page not found" in other.text
    assert browser().get(f"{gateway}/m/litija/processes/{support.PROCESSES['litija']}", timeout=30).status_code == 200
