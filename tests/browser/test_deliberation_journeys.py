"""The rest of a resident's way through the pages, in Chromium, with axe-core on every page: finding
a process and its phases, supporting and following a proposal, arguing for and against in its
discussion (a reply, an endorsement, a report), an approval ballot over several measures, the
results of a closed vote with what the ministry answered, and the resident's own pages (inbox,
account, e-mail settings, their data).

Like test_journeys.py, each test makes what it starts from through the API and finds controls by
role and accessible name."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import PROCESS_TITLE, main_menu, notice, sign_in_on_page, title
from tests.support import poll, published_for_voting, register, staff_of


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def signed_in(page, gateway: str, client, path: str) -> None:
    page.goto(f"{gateway}/login?next={path}")
    sign_in_on_page(page, client.email)


def reload_until(page, locator, what: str, deadline: float = 30) -> None:
    """Reload until `locator` is on the page (a projection fed by an event catches up)."""
    def there() -> bool:
        if locator.count():
            return True
        page.reload()
        return False
    poll(there, deadline, what, interval=0.3)


def test_a_visitor_finds_the_process_its_phases_and_its_proposals(gateway, page):
    page.goto(f"{gateway}/m/idrija/")
    activate(main_menu(page).get_by_role("link", name="Processes"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Participatory processes")
    check_axe(page)
    activate(page.get_by_role("link", name=PROCESS_TITLE, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(PROCESS_TITLE)
    expect(page.get_by_role("region", name="Themes").get_by_role("link", name="Housing")).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("link", name="Proposals in this process").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Residents' proposals")
    expect(page).to_have_url(re.compile(r"process=idrija-vkljucujoca"))
    check_axe(page)


def test_a_resident_supports_follows_and_argues_and_another_replies_and_endorses(gateway, contexts):
    staff = staff_of(gateway)
    name = title("Language café at the library")
    pid = published_for_voting(register(gateway), staff, title=name, theme="inclusion")
    path = f"/m/idrija/proposals/{pid}"
    first, second = register(gateway, eligible=True), register(gateway, eligible=True)

    page = contexts("desktop").new_page()
    signed_in(page, gateway, first, path)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    support_button = page.get_by_role("button", name="Support this proposal")
    reload_until(page, support_button, "voting to learn of the published proposal")
    check_axe(page)
    activate(support_button)
    expect(notice(page, "your support is counted")).to_be_visible()
    expect(page.get_by_text("You support this proposal.")).to_be_visible()
    activate(page.get_by_role("button", name="Follow this proposal"))
    expect(notice(page, "You follow this proposal now.")).to_be_visible()

    form = page.locator("form.discussion-form").filter(has=page.get_by_role("button", name="Post my comment"))
    argument = f"Neighbours learn Slovene best over coffee, not in a classroom ({uuid.uuid4().hex[:4]})."
    activate(form.get_by_label("For the proposal"))
    form.get_by_label("Your comment").fill(argument)
    activate(form.get_by_role("button", name="Post my comment"))
    expect(notice(page, "your comment was posted")).to_be_visible()
    mine = page.locator("li.comment").filter(has_text=argument)
    expect(mine).to_be_visible()
    expect(mine.locator(".badge")).to_have_text("For")
    check_axe(page)

    other = contexts("phone").new_page()
    signed_in(other, gateway, second, path)
    theirs = other.locator("li.comment").filter(has_text=argument)
    activate(theirs.get_by_role("button", name="Endorse"))
    expect(notice(other, "You endorse this comment.")).to_be_visible()
    theirs = other.locator("li.comment").filter(has_text=argument)
    expect(theirs.locator(".endorsements").first).to_have_text("1 endorsement")
    activate(theirs.get_by_role("link", name="Reply").first)
    reply = other.locator("#reply-form")
    expect(reply).to_be_visible()
    check_axe(other)
    activate(reply.get_by_label("Against the proposal"))
    reply.get_by_label("Your reply").fill("The library closes at six: working people could not come.")
    activate(reply.get_by_role("button", name="Post my reply"))
    expect(notice(other, "your reply was posted")).to_be_visible()
    expect(other.get_by_text("1 argument against")).to_be_visible()
    expect(other.get_by_role("region", name="Discussion")).to_contain_text(argument)  # it leads the side "for"
    check_axe(other)

    # An empty comment comes back with the error tied to its field, the typed stance kept.
    form = other.locator("form.discussion-form").filter(has=other.get_by_role("button", name="Post my comment"))
    activate(form.get_by_label("Neutral: a question, an idea or a remark"))
    activate(form.get_by_role("button", name="Post my comment"))
    expect(other.get_by_label("Your comment").first).to_have_attribute("aria-describedby", re.compile("error"))
    check_axe(other)

    # The first resident reports nothing of theirs, but may report the reply.
    page.reload()
    reply_item = page.locator("li.comment").filter(has_text="The library closes at six")
    activate(reply_item.get_by_role("link", name="Report").first)
    report = page.locator("#report-form")
    report.get_by_role("textbox").fill("It names opening hours that are wrong.")
    check_axe(page)
    activate(report.get_by_role("button", name="Send the report"))
    expect(notice(page, "your report was recorded")).to_be_visible()


def approval_ballot(staff) -> tuple[str, str]:
    name = title("Which measures first?")
    created = staff.post("/processes/idrija-vkljucujoca/approval-votes", json={
        "title": name, "max_selections": 2,
        "options": [{"id": "cafe", "label": "Language café"}, {"id": "desk", "label": "Advice desk"},
                    {"id": "walks", "label": "Welcome walks"}]})
    assert created.status_code == 201, created.text
    assert staff.post(f"/approval-votes/{created.json()['id']}/open").status_code == 200
    return created.json()["id"], name


def test_a_resident_chooses_measures_in_an_approval_ballot_and_confirms(gateway, page):
    staff = staff_of(gateway)
    aid, name = approval_ballot(staff)
    voter = register(gateway, eligible=True)
    signed_in(page, gateway, voter, "/m/idrija/processes/idrija-vkljucujoca/approval-votes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Approval ballots")
    check_axe(page)
    activate(page.get_by_role("link", name=name))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    measures = page.get_by_role("group", name="The measures you want carried out first")
    check_axe(page)

    for label in ("Language café", "Advice desk", "Welcome walks"):  # one more than allowed
        activate(measures.get_by_label(label))
    activate(page.get_by_role("button", name="Cast my vote"))
    expect(page.get_by_role("main")).to_contain_text("Choose at most 2 measures.")
    check_axe(page)

    measures = page.get_by_role("group", name="The measures you want carried out first")
    for label in ("Language café", "Welcome walks"):
        box = measures.get_by_label(label)
        if not box.is_checked():
            activate(box)
    if measures.get_by_label("Advice desk").is_checked():
        activate(measures.get_by_label("Advice desk"))
    activate(page.get_by_role("button", name="Cast my vote"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your vote")
    expect(page.get_by_role("main")).to_contain_text("Language café")
    expect(page.get_by_role("main")).to_contain_text("Welcome walks")
    check_axe(page)
    activate(page.get_by_role("button", name="Confirm my vote"))
    expect(notice(page, "Your ballot with 2 measures was recorded.")).to_be_visible()
    check_axe(page)

    assert staff.post(f"/approval-votes/{aid}/close").status_code == 200
    page.reload()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.get_by_role("table", name="The measures by the number of votes")).to_be_visible()
    check_axe(page)


def test_the_results_and_the_ministrys_reply_read_well_on_the_page(gateway, page):
    staff = staff_of(gateway)
    _author, pid, dossiers = support.forwarded_to(gateway, staff, ["mddsz"])
    poll(lambda: (d := support.dossier_of(staff, pid, "mddsz")) and d["status"] in ("sent", "acknowledged"), 60,
         "the dossier sent to the ministry")  # only a dossier it received can be answered
    answer = staff.post(f"/dossiers/{dossiers[0]['id']}/replies",
                        json={"status": "accepted", "text": "The ministry funds the course from next spring."})
    assert answer.status_code == 201, answer.text
    page.goto(f"{gateway}/m/idrija/proposals/{pid}")
    reload_until(page, page.get_by_text("The ministry funds the course from next spring."), "the reply on the page", 60)
    expect(page.get_by_role("img", name=re.compile("Results of the vote"))).to_be_visible()
    expect(page.get_by_role("region", name="What happened next")).to_contain_text("Accepted")
    check_axe(page)


def test_a_resident_reads_the_inbox_and_keeps_the_account(gateway, page):
    author = register(gateway)
    staff = staff_of(gateway)
    pid = published_for_voting(author, staff, title=title("Allotments for new families"), theme="housing")
    signed_in(page, gateway, author, "/me")
    expect(page.get_by_role("heading", level=1)).to_have_text("My inbox")
    item = page.locator(".inbox-item").filter(has_text=re.compile("published|approved", re.I))
    reload_until(page, item, "the news of the published proposal in the inbox")
    check_axe(page)
    mark = page.get_by_role("button", name=re.compile("Mark as read")).first
    if mark.count():
        activate(mark)
        expect(notice(page, "The message is marked as read.")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the proposal").first).to_have_attribute("href", re.compile(pid))

    me = page.get_by_role("navigation").filter(has=page.get_by_role("link", name="Account settings"))
    activate(me.get_by_role("link", name="Account settings"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Account settings")
    check_axe(page)
    page.get_by_label("Display name").fill("Mira from Idrija")
    activate(page.get_by_role("button", name="Save the settings"))
    expect(notice(page, "Your settings were saved.")).to_be_visible()
    expect(page.get_by_label("Display name")).to_have_value("Mira from Idrija")

    activate(page.get_by_role("link", name="E-mail settings"))
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail settings")
    check_axe(page)
    activate(page.get_by_label("Once a day, in a summary").first)
    activate(page.get_by_role("button", name="Save the e-mail settings"))
    expect(notice(page, "Your e-mail settings were saved.")).to_be_visible()
    expect(page.get_by_label("Once a day, in a summary").first).to_be_checked()

    activate(page.get_by_role("link", name="Your data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    check_axe(page)
    with page.expect_download() as download:
        activate(page.get_by_role("link", name="Download my data"))
    assert download.value.suggested_filename.endswith(".json")
