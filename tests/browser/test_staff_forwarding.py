"""Staff forwarding in Chromium, on a desktop and on a phone, with axe-core on every page: a conclusion
held for review is reviewed (an institution added, a note), checked and sent; its dossier is followed
to the institution's acknowledgement; a reply that came by post is recorded (a missing text first
refused at its field) and shows on the proposal's public page as received by post."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import notice, sign_in_on_page, title
from tests.support import awaiting_review, poll, staff_of


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def reload_until(page, locator, what: str, deadline: float = 60) -> None:
    def there() -> bool:
        if locator.count():
            return True
        page.reload()
        return False
    poll(there, deadline, what, interval=0.3)


def test_staff_review_a_conclusion_follow_its_dossier_and_record_a_reply_by_post(gateway, page):
    staff = staff_of(gateway)
    name = title("Interpreters at the health centre")
    _author, pid, _ = awaiting_review(gateway, staff, theme="health", title=name)
    page.goto(f"{gateway}/login?lang=en&next=/m/idrija/staff")  # the staff account speaks Slovene
    sign_in_on_page(page, staff.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    expect(page.get_by_role("link", name=re.compile(r"\d+ conclusions? awaiting review"))).to_be_visible()
    check_axe(page)

    activate(page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Forwarding"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Forwarding")
    check_axe(page)
    activate(page.get_by_role("link", name=f"Review: {name}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_role("checkbox", name=re.compile("Ministry of Health"))).to_be_checked()
    check_axe(page)
    page.get_by_role("checkbox", name=re.compile("Government Office for the Support")).check()
    page.get_by_label("Note to the institutions").fill("Our health centre already pays for interpreters twice a week.")
    activate(page.get_by_role("button", name="Continue"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Check before sending")
    expect(page.get_by_text("Our health centre already pays for interpreters")).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("button", name="Sign and send"))
    expect(notice(page, "were signed and are on their way")).to_be_visible()

    page.goto(f"{gateway}/m/idrija/staff/forwarding/dossiers?proposal={pid}")
    expect(page.get_by_role("table")).to_contain_text("Ministry of Health")
    check_axe(page)
    activate(page.get_by_role("row").filter(has_text="Ministry of Health").get_by_role("link", name=name))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ministry of Health")
    # The reply link comes with the dispatch; the receipt a moment later, from the institution: wait for that.
    reload_until(page, page.get_by_role("region", name="Timeline").get_by_text("Receipt confirmed by the institution"),
                 "the acknowledgement")
    expect(page.get_by_role("link", name="Record a reply received by post")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    check_axe(page)

    activate(page.get_by_role("link", name="Record a reply received by post"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a reply received by post")
    check_axe(page)
    page.get_by_role("radio", name="Partly accepted").check()
    activate(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("alert").get_by_role("link", name="Type or summarise the institution's reply.")).to_be_visible()
    expect(page.get_by_role("radio", name="Partly accepted")).to_be_checked()
    check_axe(page)
    reply = "The ministry will cover interpreters in Idrija's health centre from next year."
    page.get_by_role("textbox", name="The reply").fill(reply)
    activate(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record this reply?")
    check_axe(page)
    activate(page.get_by_role("button", name="Yes, record and publish the reply"))
    expect(notice(page, "marked as received by post")).to_be_visible()
    expect(page.get_by_role("region", name=re.compile("The institution's reply"))).to_contain_text("Received by post")
    check_axe(page)

    activate(page.get_by_role("link", name="The proposal's public page"))
    expect(page.get_by_text("This reply came by post; municipal staff recorded it.")).to_be_visible()
    expect(page.get_by_text(reply).first).to_be_visible()  # the machine translation first, the original one click away
    check_axe(page)
    page.goto(f"{gateway}/m/idrija/staff/forwarding/institutions")
    expect(page.get_by_role("table")).to_contain_text("Ministry of Health")
    check_axe(page)
    assert support.dossier_of(staff, pid, "uoim")["status"] != "awaiting_review"
