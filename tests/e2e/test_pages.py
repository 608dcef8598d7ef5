"""The server-rendered pages, driven as a browser without JavaScript would: GET forms, read the
CSRF token from the HTML, POST them, follow redirects (a requests.Session keeps the cookie)."""
from __future__ import annotations

import re

import pytest
import requests

from notifications.domain import MESSAGES, OUTCOME_LABELS
from tests import support
from tests.support import PASSWORD, poll

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def browser(lang: str | None = None) -> requests.Session:
    session = requests.Session()
    if lang:
        session.headers["Accept-Language"] = lang
    return session


def sign_in(gateway: str, email: str, password: str = PASSWORD) -> requests.Session:
    """Sign in through the /login form; the session cookie then carries the user token."""
    session = browser()
    form = session.get(f"{gateway}/login", timeout=30)
    assert form.status_code == 200
    answer = session.post(f"{gateway}/login", data={"email": email, "password": password,
                                                     "csrf_token": csrf_of(form.text)}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert email in answer.text  # "Signed in as ..." in the header
    return session


def post_form(session: requests.Session, url: str, page_url: str, **fields) -> requests.Response:
    """POST a form found on page_url, with that page's CSRF token."""
    page = session.get(page_url, timeout=30)
    return session.post(url, data={"csrf_token": csrf_of(page.text), **fields}, timeout=30)


def submit_through_page(session: requests.Session, gateway: str, **fields) -> requests.Response:
    body = {"process_id": support.PROCESS, "theme": "employment", "title": "Conversation café at the library",
            "summary": "Weekly Slovene conversation evenings for newcomers.",
            "body": "Volunteers & librarians host it.\n\nEvery Thursday.", "language": "en", **fields}
    return post_form(session, f"{gateway}/m/idrija/proposals/new", f"{gateway}/m/idrija/proposals/new", **body)


def proposal_id_of(url: str) -> str:
    match = re.search(r"/proposals/([0-9a-f]+)$", url)
    assert match, url
    return match.group(1)


# --- language and structure ------------------------------------------------------------------

def test_list_page_is_slovene_by_default(gateway):
    page = browser().get(f"{gateway}/m/idrija/", timeout=30)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert '<html lang="sl" dir="ltr">' in page.text
    assert "Predlogi prebivalcev" in page.text          # the translated heading
    assert "Preskoči na glavno vsebino" in page.text     # the translated skip link
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page.text
    assert 'href="#main"' in page.text
    assert "/static/site.css" in page.text


def test_list_page_in_english_and_the_choice_is_remembered(gateway):
    session = browser()
    page = session.get(f"{gateway}/m/idrija/?lang=en", timeout=30)
    assert '<html lang="en" dir="ltr">' in page.text
    assert "Skip to main content" in page.text
    again = session.get(f"{gateway}/m/idrija/", timeout=30)
    assert '<html lang="en" dir="ltr">' in again.text
    back = session.get(f"{gateway}/m/idrija/?lang=sl", timeout=30)
    assert '<html lang="sl" dir="ltr">' in back.text


def test_accept_language_is_honoured(gateway):
    page = browser("uk-UA,uk;q=0.9,en;q=0.5").get(f"{gateway}/m/idrija/", timeout=30)
    assert '<html lang="uk" dir="ltr">' in page.text
    assert "Пропозиції мешканців" in page.text
    english = browser("en-GB,en;q=0.9").get(f"{gateway}/m/idrija/", timeout=30)
    assert '<html lang="en" dir="ltr">' in english.text


def test_stylesheet_is_served(gateway):
    css = requests.get(f"{gateway}/static/site.css", timeout=30)
    assert css.status_code == 200
    assert ":focus" in css.text


def test_empty_states_of_the_filter_and_of_pagination(gateway):
    session = browser()
    page = session.get(f"{gateway}/m/idrija/?lang=en&theme=no-such-theme", timeout=30)
    assert page.status_code == 200
    assert "No proposals on this theme yet" in page.text and "Show all themes" in page.text
    beyond = session.get(f"{gateway}/m/idrija/?page=9999", timeout=30)
    assert beyond.status_code == 200
    assert "There are no proposals on this page" in beyond.text and "/?page=1" in beyond.text
    nonsense = session.get(f"{gateway}/m/idrija/?page=abc", timeout=30)
    assert nonsense.status_code == 200


def test_the_front_door_lists_the_municipalities_and_each_has_its_own_pages(gateway):
    page = browser("en").get(f"{gateway}/", timeout=30)
    assert page.status_code == 200 and "Choose your municipality" in page.text
    for code, name in (("idrija", "Idrija"), ("litija", "Litija"), ("ljubljana", "Ljubljana")):
        assert f'href="/m/{code}/"' in page.text and f'Municipality of <span dir="auto">{name}</span>' in page.text
    litija = browser("en").get(f"{gateway}/m/litija/", timeout=30)
    assert litija.status_code == 200 and "Municipality of Litija" in litija.text
    assert 'href="/m/litija/theme.css"' in litija.text
    theme = browser().get(f"{gateway}/m/litija/theme.css", timeout=30)
    assert theme.headers["Content-Type"].startswith("text/css") and "--brand: #7a3e00" in theme.text
    assert browser().get(f"{gateway}/m/atlantis/", timeout=30).status_code == 404
    old = browser().get(f"{gateway}/proposals/0123456789abcdef", allow_redirects=False, timeout=30)
    assert old.status_code == 301 and old.headers["Location"].endswith("/m/idrija/proposals/0123456789abcdef")


def test_staff_of_one_municipality_are_no_staff_on_another_s_pages(gateway):
    staff = sign_in(gateway, support.staff_of(gateway, "litija").email)
    own = staff.get(f"{gateway}/m/litija/?lang=en", timeout=30)
    assert "Staff console" in own.text
    other = staff.get(f"{gateway}/m/idrija/?lang=en&status=pending", timeout=30)
    assert other.status_code == 200 and "Staff console" not in other.text


def test_unknown_proposal_is_a_404_page(gateway):
    page = browser().get(f"{gateway}/m/idrija/proposals/0123456789abcdef?lang=en", timeout=30)
    assert page.status_code == 404
    assert "Page not found" in page.text and '<html lang="en" dir="ltr">' in page.text


# --- forms, sign-in, CSRF ---------------------------------------------------------------------

def test_post_without_or_with_a_wrong_csrf_token_is_refused(gateway):
    session = browser()
    session.get(f"{gateway}/login", timeout=30)
    missing = session.post(f"{gateway}/login", data={"email": "a@example.org", "password": "x"}, timeout=30)
    assert missing.status_code == 400
    wrong = session.post(f"{gateway}/login", data={"email": "a@example.org", "password": "x",
                                                   "csrf_token": "forged"}, timeout=30)
    assert wrong.status_code == 400
    fresh = browser().post(f"{gateway}/logout", data={"csrf_token": "anything"}, timeout=30)
    assert fresh.status_code == 400


def test_session_cookie_is_http_only_and_same_site(gateway):
    answer = browser().get(f"{gateway}/login", timeout=30)
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_wrong_password_shows_an_error_summary(gateway):
    client = support.register(gateway)
    session = browser()
    form = session.get(f"{gateway}/login?lang=en", timeout=30)
    answer = session.post(f"{gateway}/login", data={"email": client.email, "password": "wrong-password-9",
                                                     "csrf_token": csrf_of(form.text)}, timeout=30)
    assert answer.status_code == 401
    assert 'role="alert"' in answer.text and "The e-mail address or the password is wrong." in answer.text


def test_failures_elsewhere_do_not_lock_the_owner_out_of_the_sign_in_page(gateway):
    """Failed sign-ins wait per (e-mail, address) and per address (issue 16; the page's own 429 is in
    tests/e2e/test_abuse_pages.py): ten failures from another address leave the owner's page open."""
    client = support.register(gateway)
    elsewhere = support.client_address()
    for _ in range(10):
        requests.post(f"{gateway}/api/v1/auth/login", json={"email": client.email, "password": "wrong-pass-1"},
                      headers={"X-Forwarded-For": elsewhere}, timeout=30)
    session = browser()
    form = session.get(f"{gateway}/login?lang=en", timeout=30)
    answer = session.post(f"{gateway}/login", data={"email": client.email, "password": PASSWORD,
                                                     "csrf_token": csrf_of(form.text)}, timeout=30)
    assert answer.status_code == 200 and client.email in answer.text, answer.text[:2000]


def test_the_proposal_body_is_shown_as_its_markdown_renders_it(gateway):
    author, staff = support.register(gateway), support.staff_of(gateway)
    proposal = author.submit(body="Why **now**:\n\n- courses fill up\n- [the plan](https://idrija.si/plan)\n\n"
                                  "<script>alert(1)</script>")
    assert staff.post(f"/proposals/{proposal['id']}/moderation",
                      json={"decision": "approve", "competence": "national"}).status_code == 200
    html = browser().get(f"{gateway}/m/idrija/proposals/{proposal['id']}?lang=en", timeout=30).text
    assert "<strong>now</strong>" in html and "<li>courses fill up</li>" in html
    assert '<a href="https://idrija.si/plan" rel="noopener noreferrer nofollow">the plan</a>' in html
    assert "<script>alert" not in html and "**now**" not in html


def test_sign_in_never_redirects_off_site(gateway):
    client = support.register(gateway)
    session = browser()
    form = session.get(f"{gateway}/login?next=//evil.example/x", timeout=30)
    answer = session.post(f"{gateway}/login", data={"email": client.email, "password": PASSWORD,
                                                     "next": "//evil.example/x",
                                                     "csrf_token": csrf_of(form.text)},
                          allow_redirects=False, timeout=30)
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/m/idrija/"  # the list of the person's own municipality


def test_register_through_the_form(gateway):
    session = browser()
    email = support.unique_email("page")
    form = session.get(f"{gateway}/register?lang=en", timeout=30)
    weak = session.post(f"{gateway}/register", data={
        "email": email, "password": "short", "municipality": "idrija", "language": "en",
        "csrf_token": csrf_of(form.text)}, timeout=30)
    assert weak.status_code == 422
    assert 'id="password-error"' in weak.text and 'aria-describedby="password-hint password-error"' in weak.text
    answer = session.post(f"{gateway}/register", data={
        "email": email, "password": PASSWORD, "municipality": "idrija", "language": "en",
        "csrf_token": csrf_of(weak.text)}, timeout=30)
    assert answer.status_code == 200 and email in answer.text
    assert support.login(gateway, email, PASSWORD)  # the account works on the API too


def test_new_proposal_needs_sign_in(gateway):
    answer = browser().get(f"{gateway}/m/idrija/proposals/new", allow_redirects=False, timeout=30)
    assert answer.status_code == 302
    assert "/login?next=/m/idrija/proposals/new" in answer.headers["Location"]


def test_sign_out(gateway):
    client = support.register(gateway)
    session = sign_in(gateway, client.email)
    answer = post_form(session, f"{gateway}/logout", f"{gateway}/")
    assert answer.status_code == 200
    assert client.email not in answer.text


# --- the whole journey: submit, moderate, vote --------------------------------------------------

@pytest.fixture(scope="module")
def journey(gateway):
    """A resident (signed in through the form) and a staff member (signed in through the form)."""
    resident = support.register(gateway, language="en", eligible=True)
    staff = support.staff_of(gateway)
    return {"resident_api": resident, "resident": sign_in(gateway, resident.email),
            "staff_api": staff, "staff": sign_in(gateway, staff.email)}


def test_a_short_title_shows_the_service_error_next_to_the_field(gateway, journey):
    answer = submit_through_page(journey["resident"], gateway, title="Hi")
    assert answer.status_code == 422
    html = answer.text
    assert 'role="alert"' in html                                   # the error summary
    assert 'href="#title"' in html                                  # ... links to the field
    assert 'id="title-error"' in html                               # the message beside the field
    assert re.search(r'<input id="title"[^>]*aria-describedby="title-hint title-error"[^>]*aria-invalid="true"',
                     html)
    assert 'value="Hi"' in html                                     # what was typed is kept


def test_submit_approve_vote_and_count(gateway, journey):
    resident, staff, staff_api = journey["resident"], journey["staff"], journey["staff_api"]

    # The resident submits through the page and lands on the (pending) proposal.
    answer = submit_through_page(resident, gateway)
    assert answer.status_code == 200, answer.text
    proposal_id = proposal_id_of(answer.url)
    assert "Conversation café at the library" in answer.text
    assert 'role="status"' in answer.text                            # the confirmation
    assert "Volunteers &amp; librarians host it." in answer.text      # entities are not double-escaped
    detail = f"{gateway}/m/idrija/proposals/{proposal_id}"

    # Staff reject without a reason: the service's field error is shown beside the reason.
    refused = post_form(staff, f"{detail}/moderation", detail, decision="reject", reason="  ")
    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.text

    # Staff approve through the page.
    page = staff.get(detail, timeout=30)
    assert 'name="competence"' in page.text and 'value="approve"' in page.text
    approved = post_form(staff, f"{detail}/moderation", detail, decision="approve", competence="national")
    assert approved.status_code == 200
    assert 'role="status"' in approved.text
    assert staff_api.get(f"/proposals/{proposal_id}").json()["status"] == "published"

    # Voting learns of it asynchronously; staff open it through the API.
    poll(lambda: staff_api.get(f"/proposals/{proposal_id}/results").status_code == 200, 30,
         "the voting service to learn of the published proposal")
    assert staff_api.post(f"/proposals/{proposal_id}/voting/open").status_code == 200

    # The resident sees the ballot form and votes through the page.
    page = resident.get(detail, timeout=30)
    assert "<fieldset" in page.text and "<legend>" in page.text
    for choice in ("yes", "no", "abstain"):
        assert f'id="choice-{choice}" name="choice" value="{choice}"' in page.text
    confirm = post_form(resident, f"{detail}/ballot", detail, choice="yes")
    assert confirm.status_code == 200 and 'name="confirmed" value="yes"' in confirm.text
    voted = post_form(resident, f"{detail}/ballot", detail, choice="yes", confirmed="yes")
    assert voted.status_code == 200 and voted.url.startswith(detail)
    assert "Your vote “Yes” was recorded. You can change it until voting closes." in voted.text

    # An anonymous visitor is asked to sign in instead.
    anonymous = browser().get(f"{detail}?lang=en", timeout=30)
    assert 'name="choice"' not in anonymous.text and "Sign in to vote" in anonymous.text

    # Staff close through the page; the ballot was counted.
    closed = post_form(staff, f"{detail}/voting/close", detail)
    assert closed.status_code == 200
    results = staff_api.get(f"/proposals/{proposal_id}/results").json()
    assert results["status"] == "closed"
    assert results["tally"]["yes"] == 1
    final = resident.get(detail, timeout=30)
    assert "<table" in final.text and "Adopted" in final.text


# --- the catalogue ------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["sl", "uk"])
def test_notification_messages_are_translated(language):
    from services.i18n import gettext

    values = {"title": "T-1", "reason": "R-2", "outcome": "O-3", "yes": 4, "no": 5, "abstain": 6,
              "receipt": "RC-7", "link": "L-8", "failures": 11, "minutes": 12}
    for subject, body in MESSAGES.values():
        assert gettext(language, subject) != subject
        text = gettext(language, body, **values)
        assert text != body % values
        for name in re.findall(r"%\((\w+)\)s", body):
            assert str(values[name]) in text
    for outcome in OUTCOME_LABELS.values():
        assert gettext(language, outcome) != outcome
    assert gettext("en", "Your proposal was published") == "Your proposal was published"


def test_babel_cfg_extracts_pages_and_notification_messages():
    """`pybabel extract -F babel.cfg` finds the templates', pages/'s and the mails' message ids,
    and every one of them is translated in the Slovene and Ukrainian catalogues."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    with (root / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {message if isinstance(message, str) else message[0]
             for _file, _line, message, _comments, _context in extract_from_dir(
                 str(root), method_map, options_map)}
    for subject, body in MESSAGES.values():
        assert {subject, body} <= found
    assert set(OUTCOME_LABELS.values()) <= found
    assert "Skip to main content" in found           # a template
    assert "Awaiting moderation" in found            # pages/'s N_() labels
    for language in ("sl", "uk"):
        with (root / "services" / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalog = read_po(po, locale=language)
        untranslated = [m for m in found if not catalog.get(m) or not catalog.get(m).string]
        assert not untranslated, (language, untranslated)


def test_an_operator_adds_and_changes_a_municipality_in_the_console(gateway):
    import uuid

    operator = sign_in(gateway, support.operator_of(gateway).email)
    listing = operator.get(f"{gateway}/operator/municipalities?lang=en", timeout=30)
    assert listing.status_code == 200 and "/m/litija/" in listing.text
    code = f"kobarid-{uuid.uuid4().hex[:5]}"
    new = f"{gateway}/operator/municipalities/new"
    form = operator.get(new, timeout=30)
    pale = operator.post(new, data={"csrf_token": csrf_of(form.text), "code": code, "name": "Kobarid",
                                    "languages": ["sl", "en"], "default_language": "sl",
                                    "timezone": "Europe/Ljubljana", "accent_colour": "#ffcc00"}, timeout=30)
    assert pale.status_code == 422 and 'href="#accent_colour"' in pale.text and "4.5:1" in pale.text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    added = operator.post(new, data={"csrf_token": csrf_of(pale.text), "code": code, "name": "Kobarid",
                                     "languages": ["sl", "en"], "default_language": "sl",
                                     "timezone": "Europe/Ljubljana", "accent_colour": "#1d5e8c"},
                          files={"coat_of_arms": ("grb.png", png, "image/png")}, timeout=30)
    assert added.status_code == 200 and f"/m/{code}/" in added.text, added.text[-800:]
    assert requests.get(f"{gateway}/api/v1/municipalities/{code}/coat-of-arms", timeout=10).content == png
    edit = f"{gateway}/operator/municipalities/{code}"
    page = operator.get(edit, timeout=30)
    changed = operator.post(edit, data={"csrf_token": csrf_of(page.text), "name": "Občina Kobarid",
                                        "languages": ["sl", "en"], "default_language": "en",
                                        "timezone": "Europe/Ljubljana", "accent_colour": "#1d5e8c"}, timeout=30)
    assert changed.status_code == 200
    poll(lambda: '<html lang="en" dir="ltr">' in browser().get(f"{gateway}/m/{code}/", timeout=30).text, 15,
         "the pages to speak the municipality's new default language (each gateway worker caches for 5 s)")
    staff = sign_in(gateway, support.staff_of(gateway).email)
    assert staff.get(f"{gateway}/operator/municipalities", timeout=30).status_code == 403


def test_an_address_no_page_has_is_the_sites_own_404_page_and_the_api_s_stays_a_problem(gateway):
    page = browser("en").get(f"{gateway}/m/idrija/no-such-page", timeout=30)
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    assert '<html lang="en"' in page.text and "<title>" in page.text and "Page not found" in page.text
    api = browser().get(f"{gateway}/api/v1/no-such-operation", timeout=30)
    assert api.status_code == 404 and api.headers["Content-Type"].startswith("application/problem+json")


def test_submitting_in_a_named_process_preselects_it(gateway):
    process = support.new_process(support.staff_of(gateway))["id"]
    resident = sign_in(gateway, support.register(gateway).email)
    form = resident.get(f"{gateway}/m/idrija/proposals/new", params={"process_id": process}, timeout=30).text
    assert re.search(rf'<option value="{process}"\s+selected', form) or f'<option value="{process}" selected' in form
    plain = resident.get(f"{gateway}/m/idrija/proposals/new", params={"process_id": "no-such"}, timeout=30).text
    assert f'<option value="{process}" selected' not in plain


def test_a_workshop_measure_shows_where_it_comes_from(gateway):
    staff = support.staff_of(gateway)
    answer = staff.post("/workshop-input", json={
        "process_id": support.PROCESS, "title": "Evening Slovene for shift workers",
        "summary": "Courses after the late shift, shaped at a world café.", "theme": "education",
        "language": "en", "competence": "shared",
        "workshop": {"kind": "world_cafe", "facilitator": "Maja Kos", "held_on": "2026-11-01",
                     "participants": 23, "languages": ["sl", "uk"], "notes": "Tables in three languages."}})
    assert answer.status_code == 201, answer.text
    page = browser("en").get(f"{gateway}/m/idrija/proposals/{answer.json()['id']}", timeout=30).text
    assert "Where this measure comes from" in page
    assert 'Shaped at a World café on November 1, 2026 with 23 participants, led by <span dir="auto">Maja Kos</span>.' in page
    assert "Tables in three languages." in page
