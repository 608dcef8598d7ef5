"""Issue 16 on the pages: a form refused by an abuse limit answers a 429 page with the wait in minutes
(and Retry-After); the sign-in page says the connection waits; staff block a network and undo a
burst of supports in the console's "Abuse defences", after a preview; operators set a
municipality's limits on its page."""
from __future__ import annotations

import uuid

import pytest

from tests import support
from tests.e2e.test_pages import csrf_of, post_form, sign_in


@pytest.fixture(scope="module")
def town(gateway):
    code = f"vrh-{uuid.uuid4().hex[:6]}"
    answer = support.operator_of(gateway).post("/municipalities", json={
        "code": code, "name": "Vrh", "languages": ["sl", "en"],
        "limits": {"comments": {"per_account": 2, "per_address": 0}}})
    assert answer.status_code == 201, answer.text
    staff = support.account_of(gateway, "staff", code)[0]
    author = support.register(gateway, municipality=code)
    pid = support.published_for_voting(author, staff, process_id=support.new_process(staff)["id"])
    return {"code": code, "staff": staff, "pid": pid, "detail": f"{gateway}/m/{code}/proposals/{pid}"}


def test_a_refused_comment_shows_the_wait_in_minutes(gateway, town):
    resident = support.register(gateway, municipality=town["code"])
    web = sign_in(gateway, resident.email)
    answers = [post_form(web, f"{town['detail']}/comments?lang=en", f"{town['detail']}?lang=en",
                         body=f"Comment {n} from the page.", alignment="for") for n in range(3)]
    statuses = [a.status_code for a in answers]
    print(f"comments (pages): 3 attempts, limit 2 per account, refused {statuses.count(429)}")
    assert statuses == [200, 200, 429], statuses
    refused = answers[2]
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert "Too many attempts" in refused.text and "Try again in 60 minutes." in refused.text, refused.text[:2000]


def test_the_sign_in_page_says_the_connection_waits(gateway):
    resident = support.register(gateway)
    web = support.requests.Session()
    web.headers["X-Forwarded-For"] = support.client_address()
    statuses = []
    for _ in range(6):
        form = web.get(f"{gateway}/login?lang=en", timeout=30)
        answer = web.post(f"{gateway}/login?lang=en", timeout=30, data={
            "email": resident.email, "password": "wrong-password-9", "csrf_token": csrf_of(form.text)})
        statuses.append(answer.status_code)
    print(f"sign-in (pages): 6 failures, 5 free, refused {statuses.count(429)}")
    assert statuses == [401] * 5 + [429], statuses
    assert "Too many failed sign-ins from your connection. Try again in 1 minute." in answer.text
    assert answer.headers["Retry-After"] == "3"  # the suite's first delay (tests.support)


def test_staff_block_a_network_and_undo_a_burst_of_supports(gateway, town):
    page = f"{gateway}/m/{town['code']}/staff/abuse"
    web = sign_in(gateway, town["staff"].email)
    console = web.get(f"{page}?lang=en", timeout=30)
    assert console.status_code == 200 and "Abuse defences" in console.text and "Nothing is blocked." in console.text

    wrong = post_form(web, f"{page}/blocks?lang=en", f"{page}?lang=en", kind="address", value="not an address")
    assert wrong.status_code == 422 and 'href="#value"' in wrong.text, wrong.text[:2000]
    blocked = post_form(web, f"{page}/blocks?lang=en", f"{page}?lang=en", kind="address", value="203.0.113.0/24",
                        reason="Bots")
    assert blocked.status_code == 200 and "<code dir=\"ltr\">203.0.113.0/24</code>" in blocked.text
    behind = support.register(gateway, municipality=town["code"])
    resident = sign_in(gateway, behind.email)
    resident.headers["X-Forwarded-For"] = "203.0.113.5"
    refused = post_form(resident, f"{town['detail']}/support?lang=en", f"{town['detail']}?lang=en")
    assert refused.status_code == 403 and "are not accepted in this municipality" in refused.text, refused.text[:2000]

    burst = f"10.{uuid.uuid4().int % 200 + 20}.{uuid.uuid4().int % 250}"
    for n in range(2):
        fake = support.register(gateway, municipality=town["code"])
        fake.session.headers["X-Forwarded-For"] = f"{burst}.{n + 1}"
        support.make_eligible(gateway, [fake], town["code"])
        assert fake.put(f"/proposals/{town['pid']}/support").status_code == 200
    listed = web.get(f"{page}?kind=support&by=network&minutes=60&lang=en", timeout=30)
    assert f"{burst}.0/24" in listed.text, listed.text[:3000]
    undo = f"{page}/undo?kind=support&by=network&minutes=60&key={burst}.0/24&lang=en"
    preview = web.get(undo, timeout=30)
    assert preview.status_code == 200 and "Undo this group?" in preview.text and "<dd>2</dd>" in preview.text
    done = web.post(f"{page}/undo?lang=en", timeout=30, data={
        "csrf_token": csrf_of(preview.text), "kind": "support", "by": "network", "minutes": "60",
        "key": f"{burst}.0/24"})
    assert done.status_code == 200 and "2 undone" in done.text and "Supports withdrawn" in done.text, done.text[:3000]
    print("staff page: block added, 2 supports previewed and withdrawn")


def test_an_operator_sets_a_municipality_s_limits_on_its_page(gateway, town):
    operator = support.operator_of(gateway)
    web = sign_in(gateway, operator.email)
    page = f"{gateway}/operator/municipalities/{town['code']}?lang=en"
    shown = web.get(page, timeout=30)
    assert shown.status_code == 200 and 'name="limit-comments-per_account" ' in shown.text
    assert 'id="limit-comments-per_account" aria-labelledby="limit-comments limit-comments-head-per_account" value="2"' \
        in shown.text
    fields = {"name": "Vrh", "languages": ["sl", "en"], "default_language": "sl", "timezone": "Europe/Ljubljana",
              "accent_colour": "#1d5e8c"}
    wrong = post_form(web, page, page, **fields, **{"limit-ballots-per_account": "many"})
    assert wrong.status_code == 422 and "Each limit is a whole number" in wrong.text
    saved = post_form(web, page, page, **fields, **{"limit-ballots-per_account": "7", "limit-ballots-per_address": "0"})
    assert saved.status_code == 200, saved.text[:2000]
    wanted = {"ballots": {"per_account": 7, "per_address": 0}}  # the comments' emptied: the platform's again
    support.poll(lambda: support.requests.get(f"{gateway}/api/v1/municipalities/{town['code']}", timeout=30)
                 .json().get("limits") == wanted, 15, "every gateway worker to read the new limits")
