"""The moderation desk of the staff console, driven as a browser without JavaScript would: the queue
with its filters, counts and overdue flags; one item with its similar proposals and reports; each
decision, the justification an overridden competence needs, duplicates; the way on to the next item;
bulk decisions with their preview, confirmation and results; the dashboard's cards.

Each test makes its own process and proposals and filters the queue to them (other tests add to it)."""
from __future__ import annotations

import html
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import support
from tests.e2e.test_pages import browser, csrf_of, sign_in

DESK = "/m/idrija/staff/moderation"


@pytest.fixture(scope="module")
def staff(gateway):
    return support.staff_of(gateway)


@pytest.fixture(scope="module")
def desk(gateway, staff):
    return sign_in(gateway, staff.email)


@pytest.fixture(scope="module")
def author(gateway):
    return support.register(gateway)


def tag() -> str:
    return uuid.uuid4().hex[:6]


def submitted(author, process: dict, count: int, theme: str = "employment", title: str = "Evening Slovene lessons",
              **fields) -> list[dict]:
    """`count` pending proposals in `process`, oldest first."""
    return [author.submit(process_id=process["id"], theme=theme, title=f"{title} {tag()} no. {n}", **fields)
            for n in range(count)]


def get(session, gateway: str, path: str = "", **params):
    answer = session.get(f"{gateway}{DESK}{path}", params={"lang": "en", **params}, timeout=30)
    assert answer.status_code in (200, 422), answer.text
    return answer


def post(session, gateway: str, path: str, page, **fields):
    return session.post(f"{gateway}{DESK}{path}", data={"csrf_token": csrf_of(page.text), **fields},
                        allow_redirects=False, timeout=30)


def titles_in(page_html: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<th scope="row" class="title"><a [^>]*>([^<]+)</a>', page_html)]


def status_of(staff, pid: str) -> dict:
    return staff.get(f"/proposals/{pid}").json()


def test_the_queue_lists_pending_items_oldest_first_with_filters_and_counts(gateway, staff, desk, author):
    process = support.new_process(staff)
    mine = submitted(author, process, 3) + submitted(author, process, 1, theme="culture", language="uk")
    page = get(desk, gateway, process=process["id"])
    assert "<h1>Moderation desk</h1>" in page.text and "4 proposals" in page.text
    assert titles_in(page.text) == [p["title"] for p in mine]  # oldest first
    assert f'id="tick-{mine[0]["id"]}"' in page.text and "Українська" in page.text  # ticks, author language
    assert re.search(r'Awaiting moderation <span class="tab-count">\(\d+\)</span>', page.text)
    item_link = f'href="{DESK}/{mine[2]["id"]}?process={process["id"]}&amp;at=2"'
    assert item_link in page.text
    culture = get(desk, gateway, process=process["id"], theme="culture")
    assert titles_in(culture.text) == [mine[3]["title"]] and "1 proposal" in culture.text
    older = get(desk, gateway, process=process["id"], age="168")
    assert titles_in(older.text) == [] and "No proposals here with these filters." in older.text
    assert "Clear the filters" in older.text
    unreported = get(desk, gateway, process=process["id"], reported="0", per_page="50")
    assert len(titles_in(unreported.text)) == 4


def test_overdue_items_are_flagged_filtered_and_urgent_on_the_dashboard(gateway, staff, desk, author):
    process = support.new_process(staff)
    mine = submitted(author, process, 2)
    before = staff.get("/moderation/settings").json()["target_hours"]
    assert staff.patch("/moderation/settings", json={"target_hours": 0}).status_code == 200
    try:
        page = get(desk, gateway, process=process["id"], overdue="1")
        assert titles_in(page.text) == [p["title"] for p in mine]
        assert page.text.count('<span class="badge badge-overdue">Overdue</span>') == 2
        assert "have waited longer than the target of 0 hours" in page.text
        timely = get(desk, gateway, process=process["id"], overdue="0")
        assert titles_in(timely.text) == []
        dashboard = desk.get(f"{gateway}/m/idrija/staff?lang=en", timeout=30).text
        assert f'href="{DESK}?overdue=1"' in dashboard
        assert re.search(r'<li class="urgent"><a href="/m/idrija/staff/moderation\?overdue=1"><strong class="count">'
                         r'\d+</strong> proposals? (has|have) waited longer', dashboard)
        assert re.search(rf'<a href="{DESK}"><strong class="count">\d+</strong> proposals? awaits? moderation',
                         dashboard)
    finally:
        staff.patch("/moderation/settings", json={"target_hours": before})


def test_reported_proposals_are_listed_with_their_reports(gateway, staff, desk, author):
    process = support.new_process(staff)
    reported = submitted(author, process, 1)[0]
    assert staff.post(f"/proposals/{reported['id']}/moderation",
                      json={"decision": "approve", "competence": "national"}).status_code == 200
    for words in ("Advertises a private language school.", "Looks like an advertisement to me."):
        assert support.register(gateway).post(f"/proposals/{reported['id']}/reports",
                                              json={"reason": words}).status_code == 201
    page = get(desk, gateway, status="published", reported="1", process=process["id"])
    assert titles_in(page.text) == [reported["title"]]
    assert '<td class="number" data-label="Reports">2</td>' in page.text
    assert 'value="hide"' in page.text  # the bulk decision a published item allows
    item = get(desk, gateway, f"/{reported['id']}", status="published", reported="1", process=process["id"])
    assert "Advertises a private language school." in item.text and "Looks like an advertisement" in item.text
    assert "Hide the proposal" in item.text and "Approve and publish" not in item.text
    dashboard = desk.get(f"{gateway}/m/idrija/staff?lang=en", timeout=30).text
    assert f'href="{DESK}?status=published&amp;reported=1"' in dashboard


def test_each_decision_from_the_item_view_and_the_way_on_to_the_next_item(gateway, staff, desk, author):
    process = support.new_process(staff)
    first, second, third = submitted(author, process, 3, theme="culture")
    filters = {"process": process["id"]}
    item = get(desk, gateway, f"/{first['id']}", at="0", **filters)
    assert "Item 1 of 3" in item.text and first["title"] in item.text
    assert '<option value="municipal" selected>' in item.text  # the theme's default competence
    assert "Similar proposals" in item.text and second["title"] in item.text
    approved = post(desk, gateway, f"/{first['id']}/decision", item, decision="approve", competence="municipal",
                    process=process["id"], at="0")
    assert approved.status_code == 302
    assert approved.headers["Location"] == f"{DESK}/{second['id']}?process={process['id']}&at=0"
    landed = get(desk, gateway, f"/{second['id']}", at="0", **filters)
    assert "was approved and published (competence: Municipal)" in landed.text and "Item 1 of 2" in landed.text
    assert status_of(staff, first["id"])["status"] == "published"

    rejected = post(desk, gateway, f"/{second['id']}/decision", landed, decision="reject", reason_code="off_topic",
                    reason="Please send it to the school board.", process=process["id"], at="0")
    assert rejected.headers["Location"] == f"{DESK}/{third['id']}?process={process['id']}&at=0"
    assert status_of(staff, second["id"])["rejection_reason"] == \
        "Not related to the process. Please send it to the school board."

    last = get(desk, gateway, f"/{third['id']}", at="0", **filters)
    changes = post(desk, gateway, f"/{third['id']}/decision", last, decision="request_changes",
                   note="Say which library and which evenings.", process=process["id"], at="0")
    assert changes.headers["Location"] == f"{DESK}?process={process['id']}&done=1"  # the queue is done
    end = desk.get(f"{gateway}{changes.headers['Location']}&lang=en", timeout=30).text
    assert "You have reached the end of the queue" in end and "was asked to change it" in end
    assert status_of(staff, third["id"])["status"] == "changes_requested"

    hidden_page = get(desk, gateway, f"/{first['id']}", status="published", **filters)
    hidden = post(desk, gateway, f"/{first['id']}/decision", hidden_page, decision="hide", reason_code="spam",
                  status="published", process=process["id"])
    assert hidden.status_code == 302 and status_of(staff, first["id"])["status"] == "hidden"
    restore_page = get(desk, gateway, f"/{first['id']}", status="hidden", **filters)
    assert 'Hidden because: <span dir="auto">Spam or advertising.</span>' in restore_page.text
    assert "Hidden" in restore_page.text and "History" in restore_page.text
    restored = post(desk, gateway, f"/{first['id']}/decision", restore_page, decision="restore",
                    status="hidden", process=process["id"])
    assert restored.status_code == 302 and status_of(staff, first["id"])["status"] == "published"
    history = get(desk, gateway, f"/{first['id']}", status="published").text
    assert history.index("</time> Approved") < history.index("</time> Hidden (by staff): <span dir=\"auto\">Spam") < \
        history.index("</time> Restored")


def test_the_skip_link_leads_to_the_next_item(gateway, staff, desk, author):
    process = support.new_process(staff)
    first, second = submitted(author, process, 2)
    item = get(desk, gateway, f"/{first['id']}", at="0", process=process["id"])
    skip = re.search(r'<a href="([^"]+)"[^>]*>Skip to the next item</a>', item.text).group(1)
    answer = desk.get(f"{gateway}{html.unescape(skip)}", allow_redirects=False, timeout=30)
    assert answer.headers["Location"] == f"{DESK}/{second['id']}?process={process['id']}&at=1"


def test_overriding_the_default_competence_needs_a_justification_tied_to_its_field(gateway, staff, desk, author):
    process = support.new_process(staff)
    mine = submitted(author, process, 1, theme="culture")[0]
    item = get(desk, gateway, f"/{mine['id']}", process=process["id"])
    refused = post(desk, gateway, f"/{mine['id']}/decision", item, decision="approve", competence="national",
                   justification="  ", process=process["id"], at="0")
    assert refused.status_code == 422
    assert 'id="justification-error"' in refused.text and "explain why" in refused.text
    assert re.search(r'<textarea id="justification" name="justification"[^>]*aria-describedby="[^"]*'
                     r'justification-error"[^>]*aria-invalid="true"', refused.text)
    assert '<a href="#justification">' in refused.text  # the error summary links to the field
    assert '<option value="national" selected>' in refused.text  # the choice is kept
    assert status_of(staff, mine["id"])["status"] == "pending"
    done = post(desk, gateway, f"/{mine['id']}/decision", item, decision="approve", competence="national",
                justification="The state funds these courses.", process=process["id"], at="0")
    assert done.status_code == 302
    found = status_of(staff, mine["id"])
    assert found["competence"] == "national" and found["competence_justification"] == "The state funds these courses."


def test_marking_a_duplicate_of_a_similar_proposal(gateway, staff, desk, author):
    process = support.new_process(staff)
    words = "Free Slovene conversation evenings at the public library for newcomers"
    original = author.submit(process_id=process["id"], theme="culture", title=f"{words} {tag()}")
    copy = author.submit(process_id=process["id"], theme="culture", title=f"{words} again {tag()}")
    item = get(desk, gateway, f"/{copy['id']}", at="1", process=process["id"])
    assert f'id="of-{original["id"]}"' in item.text  # offered among the similar ones
    itself = post(desk, gateway, f"/{copy['id']}/duplicate", item, of_other=copy["id"], process=process["id"], at="1")
    assert itself.status_code == 422 and 'id="of-error"' in itself.text and "cannot duplicate itself" in itself.text
    none = post(desk, gateway, f"/{copy['id']}/duplicate", item, process=process["id"], at="1")
    assert none.status_code == 422 and "Choose the original proposal." in none.text
    marked = post(desk, gateway, f"/{copy['id']}/duplicate", item, of=original["id"], process=process["id"], at="1")
    assert marked.status_code == 302
    assert marked.headers["Location"] == f"{DESK}/{original['id']}?process={process['id']}&at=0"
    assert status_of(staff, copy["id"])["duplicate_of"] == original["id"]
    assert copy["id"] in status_of(staff, original["id"])["duplicates"]
    landed = desk.get(f"{gateway}{marked.headers['Location']}&lang=en", timeout=30).text
    assert "was marked as a duplicate of" in html.unescape(landed)


def test_a_bulk_rejection_is_previewed_confirmed_and_reported_item_by_item(gateway, staff, desk, author):
    process = support.new_process(staff)
    mine = submitted(author, process, 4)
    already = mine[3]
    assert staff.post(f"/proposals/{already['id']}/moderation",
                      json={"decision": "approve", "competence": "national"}).status_code == 200
    chosen = [p["id"] for p in mine]
    no_reason = get(desk, gateway, "/bulk", ids=chosen, action="reject", process=process["id"])
    assert no_reason.status_code == 422 and 'id="reason_code-error"' in no_reason.text
    assert all(f'value="{pid}" id="tick-{pid}" checked' in no_reason.text for pid in chosen[:3])  # ticks kept
    preview = get(desk, gateway, "/bulk", ids=chosen, action="reject", reason_code="unclear",
                  reason="Please describe the measure.", process=process["id"])
    assert preview.status_code == 200 and "Check the decision before it is made" in preview.text
    assert "3 proposals will be rejected." in preview.text and "1 cannot be decided this way" in preview.text
    assert 'Too unclear to be discussed. <span dir="auto">Please describe the measure.</span>' in preview.text
    assert all(p["title"] in preview.text for p in mine) and preview.text.count('name="ids"') == 4
    assert "Nothing: it is not in a state for this decision." in preview.text
    back = html.unescape(re.search(r'<a href="([^"]+)">Change the choice</a>', preview.text).group(1))
    assert parse_qs(urlsplit(back).query)["tick"] == chosen
    again = desk.get(f"{gateway}{back}", timeout=30).text
    assert f'value="{chosen[0]}" id="tick-{chosen[0]}" checked' in again and 'value="reject" id="action-reject" checked' in again
    assert all(status_of(staff, pid)["status"] == "pending" for pid in chosen[:3])  # nothing changed yet

    confirmed = post(desk, gateway, "/bulk", preview, ids=chosen, action="reject", reason_code="unclear",
                     reason="Please describe the measure.", process=process["id"])
    assert confirmed.status_code == 302 and "/bulk/results" in confirmed.headers["Location"]
    results = desk.get(f"{gateway}{confirmed.headers['Location']}&lang=en", timeout=30).text
    assert "3 proposals done." in results and "1 refused." in results
    assert results.count(">Done<") == 3 and "It is no longer in a state for this decision (now: Published)." in results
    for pid in chosen[:3]:
        found = status_of(staff, pid)
        assert found["status"] == "rejected"
        assert found["rejection_reason"] == "Too unclear to be discussed. Please describe the measure."
    rejected_tab = get(desk, gateway, status="rejected", process=process["id"])
    assert sorted(titles_in(rejected_tab.text)) == sorted(p["title"] for p in mine[:3])
    assert 'name="ids"' not in rejected_tab.text  # no bulk decision for rejected proposals


def test_a_bulk_approval_publishes_each_at_its_theme_s_default(gateway, staff, desk, author):
    process = support.new_process(staff)
    culture, housing = submitted(author, process, 1, theme="culture")[0], submitted(author, process, 1, theme="housing")[0]
    queue = get(desk, gateway, process=process["id"], select="all")
    assert queue.text.count("checked") >= 2  # "Select all on this page"
    preview = get(desk, gateway, "/bulk", ids=[culture["id"], housing["id"]], action="approve", process=process["id"])
    assert "Published, competence: Municipal" in preview.text
    assert "Published, competence: Shared (municipal and national)" in preview.text
    confirmed = post(desk, gateway, "/bulk", preview, ids=[culture["id"], housing["id"]], action="approve",
                     process=process["id"])
    assert confirmed.status_code == 302
    assert status_of(staff, culture["id"])["competence"] == "municipal"
    assert status_of(staff, housing["id"])["competence"] == "shared"


def test_the_proposal_page_leads_staff_to_the_desk(gateway, desk, author, staff):
    mine = author.submit(title=f"Bike repair workshop {tag()}")
    page = desk.get(f"{gateway}/m/idrija/proposals/{mine['id']}?lang=en", timeout=30).text
    assert f'href="{DESK}/{mine["id"]}"' in page and "Open in the moderation desk" in page
    old = desk.get(f"{gateway}/m/idrija/?status=pending&lang=en", timeout=30)
    assert old.status_code == 200 and "Proposals awaiting moderation" in old.text


@pytest.mark.parametrize("path", ["/0123456789abcdef/decision", "/0123456789abcdef/duplicate", "/bulk"])
def test_signed_out_posts_to_the_desk_are_sent_to_sign_in(gateway, path):
    # test_staff_access reads its token from the list page, which has none for a signed-out visitor;
    # the sign-in page has one.
    visitor = browser("en")
    form = visitor.get(f"{gateway}/login", timeout=30)
    answer = visitor.post(f"{gateway}{DESK}{path}", data={"csrf_token": csrf_of(form.text)}, allow_redirects=False,
                          timeout=30)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_desk_speaks_slovene_and_ukrainian(gateway, staff, desk, author):
    process = support.new_process(staff)
    mine = submitted(author, process, 1)[0]
    for lang, heading in (("sl", "<h1>Moderiranje predlogov</h1>"), ("uk", "<h1>Модерація пропозицій</h1>")):
        queue = desk.get(f"{gateway}{DESK}?lang={lang}&process={process['id']}", timeout=30)
        assert queue.status_code == 200 and f'<html lang="{lang}" dir="ltr">' in queue.text and heading in queue.text
        item = desk.get(f"{gateway}{DESK}/{mine['id']}?lang={lang}", timeout=30)
        assert item.status_code == 200 and f'<html lang="{lang}" dir="ltr">' in item.text
