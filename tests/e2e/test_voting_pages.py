"""The voting pages as a browser without JavaScript uses them: a resident confirms their
eligibility against the register, confirms a ballot before it is cast, sees the receipt once, and
anyone checks a receipt, which never shows the choice."""
from __future__ import annotations

import re
import uuid

import pytest

from tests import support
from tests.e2e.test_pages import browser, post_form, sign_in
from tests.support import BIRTH_DATE, poll

RECEIPT = re.compile(r'class="receipt-code"><strong>([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})</strong>')


@pytest.fixture(scope="module")
def open_vote(gateway):
    """A published proposal with its vote open, and Idrija's staff."""
    staff = support.staff_of(gateway)
    pid = support.published_for_voting(support.register(gateway), staff)
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    return {"pid": pid, "staff": staff, "detail": f"{gateway}/m/idrija/proposals/{pid}"}


def test_a_resident_confirms_eligibility_then_votes_with_a_confirmation_and_a_receipt_shown_once(gateway, open_vote):
    detail, eligibility = open_vote["detail"], f"{gateway}/m/idrija/eligibility"
    reference = f"T-{uuid.uuid4().hex[:12].upper()}"
    imported = support.registrar(gateway).post("/eligibility/register",
                                               json={"csv": f"reference,date_of_birth\n{reference},{BIRTH_DATE}\n"})
    assert imported.status_code == 200, imported.text
    resident = sign_in(gateway, support.register(gateway, language="en").email)

    # Not verified yet: the vote sends them to the eligibility page instead of a doomed ballot form.
    page = resident.get(f"{detail}?lang=en", timeout=30)
    assert 'name="choice"' not in page.text
    assert "/m/idrija/eligibility?next=" in page.text

    # The page explains the limits; wrong details are a 422 with the message beside the fields.
    form = resident.get(f"{eligibility}?next=/m/idrija/proposals/{open_vote['pid']}", timeout=30)
    assert form.status_code == 200 and 'id="reference"' in form.text and 'type="date"' in form.text
    assert "times an hour" in form.text and "the municipality is told" in form.text
    wrong = post_form(resident, eligibility, eligibility, reference=reference, date_of_birth="1901-01-01",
                      next=f"/m/idrija/proposals/{open_vote['pid']}")
    assert wrong.status_code == 422
    assert 'id="date_of_birth-error"' in wrong.text and 'role="alert"' in wrong.text
    assert f'value="{reference}"' in wrong.text  # what was typed is kept

    right = post_form(resident, eligibility, eligibility, reference=reference, date_of_birth=BIRTH_DATE,
                      next=f"/m/idrija/proposals/{open_vote['pid']}")
    assert right.status_code == 200 and right.url.startswith(detail), right.url
    assert "you can vote" in right.text and 'name="choice"' in right.text

    # The ballot is confirmed on a page of its own before it is cast.
    confirm = post_form(resident, f"{detail}/ballot", detail, choice="no")
    assert confirm.status_code == 200 and "Confirm your vote" in confirm.text
    assert 'name="confirmed" value="yes"' in confirm.text
    results = open_vote["staff"].get(f"/proposals/{open_vote['pid']}/results").json()
    assert results["ballots"] == 0  # nothing cast before the confirmation

    cast = post_form(resident, f"{detail}/ballot", detail, choice="no", confirmed="yes")
    assert cast.status_code == 200 and "Your vote “No” was recorded" in cast.text
    found = RECEIPT.search(cast.text)
    assert found, "the receipt is shown after the ballot"
    code = found.group(1)
    assert code not in resident.get(detail, timeout=30).text  # ... only once

    # Anyone checks it: recorded while open, counted after the close, never the choice.
    check = browser("en").get(f"{gateway}/receipts", params={"code": code.lower()}, timeout=30)
    assert check.status_code == 200 and "This vote is recorded" in check.text
    assert not re.search(r">\s*(Yes|No|Abstain)\s*<", check.text) and "Your vote:" not in check.text
    assert open_vote["staff"].post(f"/proposals/{open_vote['pid']}/voting/close").status_code == 200
    poll(lambda: "was counted" in browser("en").get(f"{gateway}/receipts", params={"code": code}, timeout=30).text,
         30, "the receipt to read counted")


def test_an_unknown_receipt_is_a_clear_404(gateway):
    answer = browser("en").get(f"{gateway}/receipts", params={"code": "AAAA-BBBB-CCCC-DDDD"}, timeout=30)
    assert answer.status_code == 404
    assert 'id="code-error"' in answer.text and "No ballot has this receipt" in answer.text
    odd = browser("en").get(f"{gateway}/receipts", params={"code": "../../etc"}, timeout=30)
    assert odd.status_code == 404


def test_the_eligibility_page_needs_sign_in_and_says_when_one_is_verified(gateway):
    answer = browser().get(f"{gateway}/m/idrija/eligibility", allow_redirects=False, timeout=30)
    assert answer.status_code == 302 and "/login?next=/m/idrija/eligibility" in answer.headers["Location"]
    verified = sign_in(gateway, support.register(gateway, language="en", eligible=True).email)
    page = verified.get(f"{gateway}/m/idrija/eligibility?lang=en", timeout=30)
    assert 'You are on the register of eligible residents of <span dir="auto">Idrija</span>' in page.text
    assert 'id="reference"' not in page.text
