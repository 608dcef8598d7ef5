"""One journey per role through the pages, on a desktop and on a phone, with axe-core on every page:
a resident registers and submits a proposal, staff approve it and open voting, an eligible resident
votes (confirms, gets a receipt, checks it), a resident not yet verified confirms their register entry;
and the proposal form and the ballot done by keyboard alone.

Each test makes what it starts from through the API (tests.support), so each runs on its own.
Controls are found by role and accessible name, so a control without a name fails the test."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import activate, check_axe
from tests.support import (
    BIRTH_DATE,
    PASSWORD,
    poll,
    published_for_voting,
    register,
    registrar,
    staff_of,
    unique_email,
)

PROCESS_TITLE = "Plan for an inclusive Idrija"  # the demo process (proposals/processes.py)


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    """A page of a fresh visitor on the parametrized device."""
    return request.getfixturevalue(f"{request.param}_context").new_page()


def title(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def main_menu(page):
    return page.get_by_role("navigation", name="Main menu")


def notice(page, text: str):
    """The flashed message (role status) that contains `text`."""
    return page.get_by_role("status").filter(has_text=text)


def sign_in_on_page(page, email: str) -> None:
    """On the sign-in page: fill it in and send it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_axe(page)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    activate(page.get_by_role("button", name="Sign in"))
    expect(notice(page, "You are signed in.")).to_be_visible()


def test_resident_registers_and_submits_a_proposal(gateway, page):
    page.goto(gateway + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your municipality")
    check_axe(page)

    activate(page.get_by_role("link", name="Municipality of Idrija"))
    expect(page).to_have_url(re.compile(r"/m/idrija/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Residents' proposals")
    check_axe(page)

    activate(main_menu(page).get_by_role("link", name="Create an account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    check_axe(page)
    email = unique_email("browser")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    expect(page.get_by_label("Municipality where you live")).to_have_value("idrija")
    expect(page.get_by_label("Language for e-mails")).to_have_value("en")
    activate(page.get_by_role("button", name="Create the account"))
    expect(notice(page, "Your account was created")).to_be_visible()
    expect(main_menu(page)).to_contain_text(f"Signed in as {email}")
    check_axe(page)

    # Out and in again, through the sign-in page.
    activate(main_menu(page).get_by_role("button", name="Sign out"))
    expect(notice(page, "You are signed out.")).to_be_visible()
    activate(main_menu(page).get_by_role("link", name="Sign in"))
    sign_in_on_page(page, email)

    activate(main_menu(page).get_by_role("link", name="Submit a proposal"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit a proposal")
    check_axe(page)
    name = title("Bicycle repair corner")
    page.get_by_label("Process").select_option(label=PROCESS_TITLE)
    page.get_by_label("Theme").select_option(label="Employment")
    page.get_by_label("Title").fill(name)
    page.get_by_label("Summary").fill("A corner at the library where newcomers and neighbours fix bicycles together.")
    page.get_by_label("The proposal in full").fill("Tools, a stand and two evenings a month.\n\nVolunteers teach.")
    expect(page.get_by_label("Language of your proposal")).to_have_value("en")
    activate(page.get_by_role("button", name="Submit the proposal"))

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(notice(page, "Your proposal was submitted")).to_be_visible()
    expect(page.get_by_text("This proposal is waiting for moderation by municipal staff.")).to_be_visible()
    expect(page.locator(".badge")).to_have_text("Awaiting moderation")
    check_axe(page)


def test_staff_approve_a_proposal_and_open_voting(gateway, page):
    author = register(gateway)
    name = title("Homework club")
    # A long address in the summary must wrap on a phone (the page may not scroll sideways).
    proposal = author.submit(title=name, theme="education", summary=(
        "Pupils new to Slovene do homework together: https://www.idrija.si/obcina/razpisi/"
        "sofinanciranje-programov-ucne-pomoci-za-otroke-priseljencev-2026"))
    staff = staff_of(gateway)  # its account speaks Slovene: the visitor picks English first

    page.goto(gateway + "/m/idrija/")
    activate(page.get_by_role("navigation", name="Language").get_by_role("link", name="English"))
    activate(main_menu(page).get_by_role("link", name="Sign in"))
    sign_in_on_page(page, staff.email)
    expect(main_menu(page)).to_contain_text("(Municipal staff)")

    activate(main_menu(page).get_by_role("link", name="Staff console"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    check_axe(page)
    # The queue is shared with every other test of the session (oldest first, ten a page): open
    # the proposal by its address, as from the staff's notification.
    page.goto(f"{gateway}/m/idrija/proposals/{proposal['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".badge")).to_have_text("Awaiting moderation")
    moderation = page.get_by_role("region", name="Moderation")
    expect(moderation).to_be_visible()
    check_axe(page)

    moderation.get_by_label("Competence", exact=True).select_option(label="National")
    moderation.get_by_label("Justification of the competence").fill(
        "The state funds schooling support; the municipality offers the rooms.")
    activate(moderation.get_by_role("button", name="Approve and publish"))
    expect(notice(page, "The proposal was approved and published")).to_be_visible()
    expect(page.locator(".proposal .badge")).to_have_text("Published")
    check_axe(page)

    # Voting learns of the published proposal through an event: reload until it offers to open.
    open_button = page.get_by_role("region", name="Voting").get_by_role("button", name="Open voting")

    def offered() -> bool:
        if open_button.count():
            return True
        page.reload()
        return False

    poll(offered, 30, "the voting service to learn of the approved proposal", interval=0.3)
    check_axe(page)
    activate(open_button)
    expect(notice(page, "Voting is now open.")).to_be_visible()
    expect(page.get_by_role("region", name="Voting").locator(".badge")).to_have_text("Open")
    expect(page.get_by_role("button", name="Close voting")).to_be_visible()
    check_axe(page)


def open_vote(gateway: str, prefix: str) -> tuple[str, str]:
    """A published proposal with voting open; (id, title)."""
    staff = staff_of(gateway)
    name = title(prefix)
    pid = published_for_voting(register(gateway), staff, title=name, theme="housing")
    answer = staff.post(f"/proposals/{pid}/voting/open")
    assert answer.status_code == 200, answer.text
    return pid, name


def confirm_vote(page, press) -> None:
    """The ballot's second step: its own page to confirm the choice, then the vote recorded and its
    receipt shown once, which the public receipt check knows."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your vote")
    expect(page.get_by_role("main")).to_contain_text("Your vote: Yes")
    check_axe(page)
    press(page.get_by_role("button", name="Confirm my vote"))
    expect(notice(page, "Your vote “Yes” was recorded.")).to_be_visible()
    receipt = page.get_by_role("status", name="Your receipt")
    expect(receipt).to_contain_text(re.compile(r"\b[A-Z0-9]{4}(-[A-Z0-9]{4}){3}\b"))
    check_axe(page)
    press(receipt.get_by_role("link", name="Check this receipt"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a vote receipt")
    expect(page.get_by_role("status")).to_contain_text("This vote is recorded. Voting is still open")
    check_axe(page)


def test_eligible_resident_votes_on_the_proposal_page(gateway, page):
    pid, name = open_vote(gateway, "Shared flats for young families")
    voter = register(gateway, eligible=True)

    page.goto(f"{gateway}/m/idrija/proposals/{pid}")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_axe(page)
    activate(page.get_by_role("link", name="Sign in to vote"))
    sign_in_on_page(page, voter.email)
    expect(page).to_have_url(re.compile(rf"/m/idrija/proposals/{pid}$"))

    ballot = page.get_by_role("group", name="Your vote on this proposal")
    expect(ballot).to_be_visible()
    check_axe(page)
    yes = ballot.get_by_label("Yes", exact=True)
    activate(yes)
    expect(yes).to_be_checked()
    activate(page.get_by_role("button", name="Cast my vote"))
    confirm_vote(page, activate)


def test_resident_confirms_eligibility_before_voting(gateway, page):
    """Not yet verified: the open vote sends the resident to confirm their register entry first."""
    pid, name = open_vote(gateway, "Covered bicycle stands")
    resident = register(gateway)
    reference = f"T-{uuid.uuid4().hex[:12].upper()}"
    imported = registrar(gateway).post("/eligibility/register",
                                       json={"csv": f"reference,date_of_birth\n{reference},{BIRTH_DATE}\n"})
    assert imported.status_code == 200 and not imported.json()["rejected"], imported.text

    page.goto(f"{gateway}/login?next=/m/idrija/proposals/{pid}")
    sign_in_on_page(page, resident.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("group", name="Your vote on this proposal")).to_have_count(0)
    check_axe(page)
    activate(page.get_by_role("link", name="Confirm that you may vote"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm that you may vote")
    check_axe(page)
    page.get_by_label("Register reference").fill(reference)
    page.get_by_label("Date of birth").fill(BIRTH_DATE)
    activate(page.get_by_role("button", name="Confirm", exact=True))

    expect(notice(page, "you are on the register, and you can vote")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/m/idrija/proposals/{pid}$"))
    expect(page.get_by_role("group", name="Your vote on this proposal")).to_be_visible()
    check_axe(page)


# --- by keyboard alone: Tab to a control, type, Space and Enter; no click, no tap ---------------------

def tab_to(page, target, limit: int = 60) -> None:
    """Press Tab until `target` has the focus (it must be reachable, in order, within `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


def keyboard_sign_in(page, gateway: str, email: str, next_path: str) -> None:
    page.goto(f"{gateway}/login?next={next_path}")
    check_axe(page)
    tab_to(page, page.get_by_label("E-mail address"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(notice(page, "You are signed in.")).to_be_visible()


def test_submit_a_proposal_by_keyboard(gateway, desktop_context):
    page = desktop_context.new_page()
    resident = register(gateway)
    keyboard_sign_in(page, gateway, resident.email, "/m/idrija/")

    menu_link = main_menu(page).get_by_role("link", name="Submit a proposal")
    tab_to(page, menu_link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit a proposal")
    check_axe(page)

    tab_to(page, page.get_by_label("Process"))
    page.keyboard.type("Plan for")  # a closed select picks the option whose text starts so
    expect(page.get_by_label("Process")).to_have_value("idrija-vkljucujoca")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Theme")).to_be_focused()
    page.keyboard.type("Health")
    expect(page.get_by_label("Theme")).to_have_value("health")
    page.keyboard.press("Tab")
    name = title("Interpreters at the health centre")
    page.keyboard.type(name)
    expect(page.get_by_label("Title")).to_have_value(name)
    page.keyboard.press("Tab")
    page.keyboard.type("Volunteer interpreters on Tuesday mornings for patients new to Slovene.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("The proposal in full")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Language of your proposal")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit the proposal")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(notice(page, "Your proposal was submitted")).to_be_visible()
    expect(page.locator(".badge")).to_have_text("Awaiting moderation")
    check_axe(page)


def test_cast_a_ballot_by_keyboard(gateway, desktop_context):
    page = desktop_context.new_page()
    pid, name = open_vote(gateway, "Rent guarantee fund")
    voter = register(gateway, eligible=True)
    keyboard_sign_in(page, gateway, voter.email, f"/m/idrija/proposals/{pid}")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_axe(page)

    ballot = page.get_by_role("group", name="Your vote on this proposal")
    yes = ballot.get_by_label("Yes", exact=True)
    tab_to(page, yes)  # Tab enters the group at its first choice
    page.keyboard.press("Space")
    expect(yes).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Cast my vote")).to_be_focused()
    page.keyboard.press("Enter")
    confirm_vote(page, lambda control: (tab_to(page, control), page.keyboard.press("Enter")))
