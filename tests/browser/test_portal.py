"""A ministry official in Chromium, on a desktop and on a phone, with axe-core on every page: the link in
the real dossier e-mail (read from the test SMTP server) opens the dossier's page; the official confirms
receipt with one click, replies with a status, a plain-language summary and an attached PDF (a missing
confirmation first refused at its field); the reply and its file show on the proposal's public page, and
the verification page says the JSON file attached to the mail is validly signed by the municipality."""
from __future__ import annotations

import os
import re
import uuid

import pytest
from playwright.sync_api import expect

from services.local.smtp_server import read_mailbox
from tests import support
from tests.browser.conftest import activate, check_axe
from tests.browser.test_journeys import notice, title
from tests.support import forwarded_to, operator_of, poll, staff_of, wait_status

PDF = b"%PDF-1.4\n% odgovor ministrstva\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(params=["desktop", "phone"])
def page(request):
    return request.getfixturevalue(f"{request.param}_context").new_page()


def shot(page, name: str) -> None:
    """A screenshot for a person to look at, when CIVIC_SCREENSHOTS names a folder."""
    folder = os.environ.get("CIVIC_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{page.context.device}-{name}.png", full_page=True)


def the_dossier_mail(platform, gateway, name: str):
    """A conclusion forwarded by e-mail to a fresh ministry; the mail as it arrived."""
    staff = staff_of(gateway)
    address = f"vloge-{uuid.uuid4().hex[:6]}@gov.si"
    code = f"b-{uuid.uuid4().hex[:8]}"
    assert operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Ministrstvo {code}", "en": f"Ministry {code}"}, "themes": [],
        "channel": "email", "email": address, "deadline_days": 30}).status_code == 201
    _author, pid, _ = forwarded_to(gateway, staff, [code], title=name)
    wait_status(staff, pid, code, "sent", 60)
    return pid, poll(lambda: read_mailbox(platform.maildir, to=address), 60, "the dossier e-mail")[0]


def test_a_ministry_official_opens_the_mail_link_acknowledges_and_replies_with_a_file(platform, gateway, page,
                                                                                      tmp_path):
    name = title("Slovene courses for parents")
    pid, mail = the_dossier_mail(platform, gateway, name)
    link = re.search(r"(http\S+/portal/dossiers/\S+)", mail.get_body(preferencelist=("plain",)).get_content())[1]
    page.goto(link + "&lang=en")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_role("heading", name="The vote and its rules")).to_be_visible()
    expect(page.get_by_role("table", name="Ballots cast")).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    check_axe(page)
    shot(page, "portal-dossier")

    activate(page.get_by_role("button", name="Confirm receipt"))
    expect(notice(page, "Receipt confirmed. Acknowledgement number: LINK-")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm receipt")).to_have_count(0)
    check_axe(page)

    page.get_by_role("radio", name="Partly accepted").check()
    reply = "We will fund two more evening courses in Idrija from October."
    page.get_by_role("textbox", name="The reply").fill(reply)
    page.get_by_role("textbox", name="Summary in plain language").fill("Yes, partly: two more courses from October.")
    answer = tmp_path / "odgovor.pdf"
    answer.write_bytes(PDF)
    page.get_by_label("Attached files").set_input_files(str(answer))
    activate(page.get_by_role("button", name="Send and publish the reply"))
    expect(page.get_by_role("alert").get_by_role("link", name=re.compile("Confirm that this is"))).to_be_visible()
    expect(page.get_by_role("textbox", name="The reply")).to_have_value(reply)
    check_axe(page)
    shot(page, "portal-reply-error")
    page.get_by_label("Attached files").set_input_files(str(answer))  # the browser forgets the file
    page.get_by_role("checkbox", name=re.compile("This is my institution's reply")).check()
    activate(page.get_by_role("button", name="Send and publish the reply"))
    expect(notice(page, "Your reply was sent and published")).to_be_visible()
    expect(page.get_by_role("region", name=re.compile("Your institution's reply"))).to_contain_text("odgovor.pdf")
    check_axe(page)
    shot(page, "portal-replied")

    activate(page.get_by_role("link", name="The proposal's public page"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    # in English the machine translation shows (the stand-in keeps the words), the original one click away
    expect(page.get_by_text("Yes, partly: two more courses from October.").first).to_be_visible()
    with page.expect_download() as download:
        activate(page.get_by_role("link", name="odgovor.pdf"))
    assert open(download.value.path(), "rb").read() == PDF
    check_axe(page)

    signed = next(p for p in mail.iter_attachments() if p.get_filename().endswith(".json"))
    file = tmp_path / signed.get_filename()
    file.write_bytes(signed.get_content())
    page.goto(f"{gateway}/portal/verify?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify a dossier")
    check_axe(page)
    page.get_by_label("Dossier file (JSON)").set_input_files(str(file))
    activate(page.get_by_role("button", name="Check the signature"))
    expect(page.get_by_role("heading", name="The signature is valid")).to_be_visible()
    expect(page.get_by_text("signed by the Municipality of Idrija")).to_be_visible()
    check_axe(page)
    shot(page, "portal-verify")


def test_an_institution_account_signs_in_to_its_list_of_dossiers(gateway, page):
    account, account_id = support.institution_account(gateway)
    staff = staff_of(gateway)
    code = f"l-{uuid.uuid4().hex[:8]}"
    assert operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": "manual",
        "deadline_days": 30, "account_ids": [account_id]}).status_code == 201
    name = title("Housing advice in Ukrainian")
    _author, pid, _ = forwarded_to(gateway, staff, [code], title=name)
    waiting = wait_status(staff, pid, code, "awaiting_manual", 60)
    assert staff.post(f"/dossiers/{waiting['id']}/sent", json={}).status_code == 200
    page.goto(f"{gateway}/login?lang=en")
    page.get_by_label("E-mail address").fill(account.email)
    page.get_by_label("Password").fill(support.PASSWORD)
    activate(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers addressed to your institution")
    expect(page.get_by_role("table")).to_contain_text(name)
    check_axe(page)
    shot(page, "portal-list")
    page.get_by_label("Status").select_option("acknowledged")
    activate(page.get_by_role("button", name="Show"))
    expect(page.get_by_role("heading", name="No dossier matches")).to_be_visible()
    check_axe(page)
    activate(page.get_by_role("link", name="Show all dossiers"))
    activate(page.get_by_role("link", name=name))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    check_axe(page)
