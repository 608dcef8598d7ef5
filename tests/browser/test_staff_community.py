"""A staff member's way through "Reports and blocks", in Chromium on a desktop and a phone, with axe-core
on every page: five reported comments of the test's own reach the list; staff hide two with a reason,
block the author of a third (the form filled in from the comment, then the confirmation), read the
audit log filtered to the hides, and download it as CSV.

Like the other journeys, the comments and reports are made through the API, and the controls are found
by role and accessible name."""
from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_deliberation_journeys import reload_until
from tests.browser.test_journeys import notice, sign_in_on_page, title
from tests.support import published_for_voting, register, staff_of

REPORTS = 3  # each comment's reports: more than other tests give theirs, so that the test's own lead the list


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def reported_comments(gateway) -> tuple[support.Client, str, list[dict]]:
    """Staff, a proposal and five comments on it by five residents, each reported by three others."""
    staff = staff_of(gateway)
    pid = published_for_voting(register(gateway), staff, title=title("Benches by the river"))
    reporters = [register(gateway) for _ in range(REPORTS)]
    comments = []
    for number in range(5):
        author = register(gateway)
        text = f"Reported comment {number + 1} ({uuid.uuid4().hex[:6]})"
        made = author.post(f"/proposals/{pid}/comments", json={"body": text, "alignment": "against"}).json()
        for reporter in reporters:
            answer = reporter.post(f"/comments/{made['id']}/reports", json={"reason": f"Rude, number {number + 1}"})
            assert answer.status_code == 201, answer.text
        comments.append({"id": made["id"], "text": text, "author": support.user_id(author)})
    return staff, pid, comments


def test_staff_hide_two_comments_block_an_author_and_download_the_audit_log(gateway, page, tmp_path):
    staff, _pid, comments = reported_comments(gateway)
    page.goto(f"{gateway}/login?lang=en&next=/m/idrija/staff")  # staff accounts speak Slovene: English first
    sign_in_on_page(page, staff.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    expect(page.get_by_text("reported comments waiting for review")).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Reports and blocks"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reported comments")
    for comment in comments:
        expect(page.locator(f"#comment-{comment['id']}")).to_contain_text(f"{REPORTS} reports")
    check_axe(page)

    for comment in comments[:2]:
        item = page.locator(f"#comment-{comment['id']}")
        activate(item.get_by_role("link", name="Hide… this comment"))
        form = page.locator(f"#hide-{comment['id']}")
        expect(form.get_by_role("heading", name="Hide this comment")).to_be_visible()
        check_axe(page)
        form.get_by_label("Reason shown to residents").fill("Insults other participants.")
        activate(form.get_by_role("button", name="Hide the comment"))
        expect(notice(page, "The comment is hidden from the discussion")).to_be_visible()
        expect(page.locator(f"#comment-{comment['id']}")).to_have_count(0)
        check_axe(page)

    third = comments[2]
    activate(page.locator(f"#comment-{third['id']}").get_by_role("link", name="Block the author…"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Block an account")
    expect(page.get_by_label("Account")).to_have_value(third["author"])
    check_axe(page)
    page.get_by_label("Reason").fill("Repeatedly rude in the discussion.")
    activate(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Block this account?")
    check_axe(page)
    activate(page.get_by_role("button", name="Yes, block the account"))
    expect(notice(page, f"The account {third['author']} is blocked")).to_be_visible()
    expect(page.get_by_role("table").get_by_role("rowheader", name=third["author"])).to_be_visible()
    check_axe(page)

    activate(page.get_by_role("navigation", name="Reports and blocks").get_by_role("link", name="Audit log"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation audit log")
    check_axe(page)
    page.get_by_label("Action").select_option(label="Comment hidden")
    page.get_by_label("Taken by (account)").fill(support.user_id(staff))
    activate(page.get_by_role("button", name="Filter"))
    expect(page).to_have_url(re.compile(r"[?&]action="))  # the filtered page has loaded: reload that one
    hidden_rows = page.get_by_role("row").filter(has_text="Comment hidden")
    reload_until(page, page.get_by_role("row").filter(has_text=comments[1]["id"]), "the hides in the audit log", 60)
    expect(hidden_rows).to_have_count(2)
    check_axe(page)

    with page.expect_download() as started:
        activate(page.get_by_role("link", name="Download CSV"))
    download = started.value
    assert download.suggested_filename.startswith("moderation-audit-idrija-")
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert {row["subject"] for row in rows} == {comments[0]["id"], comments[1]["id"]}
    assert {row["action"] for row in rows} == {"hide_comment"}
