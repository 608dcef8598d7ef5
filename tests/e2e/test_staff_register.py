"""The eligibility register in the staff console: uploading a CSV file through the form (append, then a
replace confirmed with the number of entries it removes), the report of rejected rows with their row
numbers and reasons, the counts, a resident verifying against an uploaded entry, and the errors a
wrong or oversize file gets on the form. Each test works in a municipality of its own (a replace
would take other tests' residents off a shared register)."""
from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests import support
from tests.e2e.test_pages import csrf_of, sign_in
from tests.support import poll

JOB = re.compile(r"/staff/register/imports/([0-9a-f]{32})$")


def new_municipality(gateway: str) -> str:
    code = f"reg-{uuid.uuid4().hex[:8]}"
    created = support.operator_of(gateway).post("/municipalities", json={
        "code": code, "name": f"Register {code[-4:]}", "languages": ["sl", "en", "uk"]})
    assert created.status_code == 201, created.text
    poll(lambda: requests.get(f"{gateway}/m/{code}/", timeout=10).status_code == 200, 30,
         "the gateway to serve the new municipality")
    return code


@pytest.fixture
def town(gateway):
    """(a municipality of the test's own, its staff member's signed-in browser session)."""
    code = new_municipality(gateway)
    staff = support.staff_of(gateway, code)
    return code, sign_in(gateway, staff.email)


def upload(session, gateway: str, code: str, text: str | bytes, mode: str = "append", name: str = "register.csv",
           kind: str = "text/csv") -> requests.Response:
    page = session.get(f"{gateway}/m/{code}/staff/register?lang=en", timeout=30)
    assert page.status_code == 200, page.text
    assert 'enctype="multipart/form-data"' in page.text and 'type="file"' in page.text
    return session.post(f"{gateway}/m/{code}/staff/register/imports?lang=en", timeout=60,
                        data={"csrf_token": csrf_of(page.text), "mode": mode},
                        files={"file": (name, text.encode() if isinstance(text, str) else text, kind)})


def finished(session, gateway: str, url: str) -> str:
    """Follow the import's page until the report: while it runs it refreshes itself every 2 s (the
    Refresh header), and it offers to stop that."""
    def report():
        page = session.get(f"{gateway}{url}?lang=en", timeout=30)
        assert page.status_code == 200, page.text
        if page.headers.get("Refresh") == "2":
            assert "Stop refreshing this page" in page.text and "Importing the register" in page.text
            return None
        return page.text
    return poll(report, 60, f"the import at {url} to finish", interval=0.5)


def counts(session, gateway: str, code: str) -> tuple[int, int]:
    page = session.get(f"{gateway}/m/{code}/staff/register?lang=en", timeout=30).text
    found = re.findall(r'<strong class="register-count">([\d,]+)</strong>', page)
    return int(found[0].replace(",", "")), int(found[1].replace(",", ""))


def rows(prefix: str, count: int, born: str = "1980-05-17") -> str:
    return "".join(f"{prefix}-{n:05d},{born}\n" for n in range(count))


def test_append_then_a_replace_confirmed_with_what_it_removes_and_the_counts_change(gateway, town):
    code, staff = town
    assert counts(staff, gateway, code) == (0, 0)
    first = upload(staff, gateway, code, "reference,date_of_birth\n" + rows("OLD", 30) + rows("KEEP", 20))
    assert first.status_code == 200, first.text  # the import's page, after a 303
    report = finished(staff, gateway, _path(gateway, first))
    assert "Import finished" in report and "Every row of the file was imported." in report
    assert counts(staff, gateway, code) == (50, 0)

    # A replace with 20 of the old entries and 10 new ones: the 30 others would go, and the page says so.
    second = upload(staff, gateway, code, "reference;date_of_birth\n" + rows("KEEP", 20).replace(",", ";")
                    + rows("NEW", 10).replace(",", ";"), mode="replace")
    assert second.status_code == 200, second.text
    assert "Confirm the replacement of the register" in second.text
    assert "Replacing the register takes 30 entries off it" in second.text
    assert counts(staff, gateway, code) == (50, 0), "nothing changes before the confirmation"
    path = _path(gateway, second)
    confirmed = staff.post(f"{gateway}{path}/confirm?lang=en", data={"csrf_token": csrf_of(second.text)}, timeout=30)
    assert confirmed.status_code == 200 and "30 entries not in the file will be taken off" in confirmed.text
    report = finished(staff, gateway, path)
    assert re.search(r"<dt>Taken off the register</dt><dd>30</dd>", report), report
    assert re.search(r"<dt>Now on the register</dt><dd>30</dd>", report)
    assert counts(staff, gateway, code) == (30, 0)
    register_page = staff.get(f"{gateway}/m/{code}/staff/register?lang=en", timeout=30).text
    assert "Replaced the register" in register_page and "<dd>you</dd>" in register_page

    # The dashboard tells the register's counts.
    dashboard = staff.get(f"{gateway}/m/{code}/staff?lang=en", timeout=30).text
    assert "30 residents on the register" in dashboard


def test_a_cancelled_replace_changes_nothing(gateway, town):
    code, staff = town
    report = finished(staff, gateway, _path(gateway, upload(staff, gateway, code, "reference,date_of_birth\n"
                                                             + rows("STAY", 5))))
    assert "Import finished" in report
    asked = upload(staff, gateway, code, "reference,date_of_birth\n" + rows("OTHER", 2), mode="replace")
    assert "Replacing the register takes 5 entries off it" in asked.text
    cancelled = staff.post(f"{gateway}{_path(gateway, asked)}/cancel?lang=en",
                           data={"csrf_token": csrf_of(asked.text)}, timeout=30)
    assert cancelled.status_code == 200 and "The replacement was cancelled. The register is unchanged." in cancelled.text
    assert counts(staff, gateway, code) == (5, 0)


def _path(gateway: str, answer: requests.Response) -> str:
    assert JOB.search(answer.url.split("?")[0]), answer.url
    return answer.url.split(gateway)[1].split("?")[0]


def test_bad_rows_give_a_report_with_row_numbers_and_reasons_and_no_birth_dates(gateway, town):
    code, staff = town
    text = ("reference,date_of_birth\n"
            "GOOD-00001,1970-01-02\n"
            ",1970-01-03\n"                 # row 3: no reference
            "GOOD-00002,31.02.1971\n"       # row 4: no such date
            "\n"                            # a blank line: skipped, the row numbers stay the file's lines
            "GOOD-00001,1970-01-02\n"       # row 6: the reference again
            "GOOD-00003,2999-12-31\n"       # row 7: born in the future
            "GOOD-00004,1966-06-06\n")
    report = finished(staff, gateway, _path(gateway, upload(staff, gateway, code, text)))
    assert re.search(r"<dt>Rows accepted</dt><dd>2</dd>", report) and re.search(r"<dt>Rows rejected</dt><dd>4</dd>", report)
    table = re.findall(r'<tr><td class="number">(\d+)</td><td>([^<]+)</td></tr>', report)
    assert table == [("3", "The reference is missing."),
                     ("4", "The date of birth is not a date in the form YYYY-MM-DD or DD.MM.YYYY."),
                     ("6", "The reference is already in an earlier row of the file."),
                     ("7", "The date of birth is in the future.")], table
    for personal in ("31.02.1971", "2999-12-31", "1970-01-02"):
        assert personal not in report, f"the report repeats a date of birth: {personal}"
    csv_link = re.search(r'href="([^"]+rejected\.csv)"', report)[1]
    download = staff.get(f"{gateway}{csv_link}", timeout=30)
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    assert download.text.splitlines()[0] == "row,code,reason"
    assert [line.split(",")[0] for line in download.text.splitlines()[1:]] == ["3", "4", "6", "7"]
    assert "1971" not in download.text and "2999" not in download.text
    dashboard = staff.get(f"{gateway}/m/{code}/staff?lang=en", timeout=30).text
    assert '<strong class="count">4</strong> rows of the last import were rejected: review the report' in dashboard


def test_a_resident_verifies_against_an_uploaded_entry(gateway, town):
    code, staff = town
    reference = f"UP-{uuid.uuid4().hex[:8].upper()}"
    report = finished(staff, gateway, _path(gateway, upload(staff, gateway, code,
                                                            f"reference,date_of_birth\n{reference},14.03.1985\n")))
    assert "Every row of the file was imported." in report
    resident = support.register(gateway, municipality=code)
    verified = resident.post("/eligibility/verification", json={"reference": reference.lower(),
                                                                 "date_of_birth": "1985-03-14"})
    assert verified.status_code == 200 and verified.json()["eligible"] is True, verified.text
    assert counts(staff, gateway, code) == (1, 1)


def test_a_file_that_is_not_csv_or_too_large_gets_a_clear_error_on_the_form(gateway, town):
    code, staff = town
    wrong = upload(staff, gateway, code, b"%PDF-1.7\x00\x01binary", name="register.pdf", kind="application/pdf")
    assert wrong.status_code == 422 and "register.pdf is not a CSV file" in wrong.text
    assert 'aria-describedby="file-hint file-error"' in wrong.text and 'href="#file"' in wrong.text
    headless = upload(staff, gateway, code, "name;born\nIDR-1,1990-01-01\n")
    assert headless.status_code == 422 and "The file has no column “reference”" in headless.text
    binary = upload(staff, gateway, code, b"reference,date_of_birth\n\x00\x00\x00", name="register.csv")
    assert binary.status_code == 422 and "is not a text file" in binary.text
    oversize = upload(staff, gateway, code, b"reference,date_of_birth\n" + b"X" * (10 * 1024 * 1024 + 1))
    assert oversize.status_code == 413 and "The file is larger than 10 MB" in oversize.text
    assert 'id="file-error"' in oversize.text
    # Far larger: the form is not even read; the browser is sent back to it with the same message.
    huge = upload(staff, gateway, code, b"reference,date_of_birth\n" + b"X" * (12 * 1024 * 1024))
    assert huge.status_code == 413 and "The file is larger than 10 MB" in huge.text and "/staff/register?" in huge.url
    assert counts(staff, gateway, code) == (0, 0)


def test_the_json_import_still_works_and_shows_as_the_last_import(gateway, town):
    code, staff = town
    clerk = support.staff_of(gateway, code)
    answer = clerk.post("/eligibility/register", json={"csv": "reference,date_of_birth\nJSON-0001,1990-01-01\n"})
    assert answer.status_code == 200 and answer.json()["imported"] == 1, answer.text
    page = staff.get(f"{gateway}/m/{code}/staff/register?lang=en", timeout=30).text
    assert "Added to the register" in page and re.search(r"<dt>Rows accepted</dt><dd>1</dd>", page)
    assert counts(staff, gateway, code) == (1, 0)


def test_signed_out_posts_to_the_register_are_sent_to_sign_in(gateway):
    """(test_staff_access.py walks these too, but takes its signed-out CSRF token from a page that shows
    anonymous visitors no form; here it comes from the sign-in page.)"""
    visitor = requests.Session()
    token = csrf_of(visitor.get(f"{gateway}/login?lang=en", timeout=30).text)
    for path in ("imports", "imports/0123456789abcdef0123456789abcdef/confirm",
                 "imports/0123456789abcdef0123456789abcdef/cancel"):
        answer = visitor.post(f"{gateway}/m/idrija/staff/register/{path}", data={"csrf_token": token},
                              allow_redirects=False, timeout=30)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], (path, answer.status_code)
