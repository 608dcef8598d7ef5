"""The staff console's forwarding section, driven as a browser without JavaScript: a conclusion awaiting
review is approved with a changed institution and a note, the dossier list filters by status, a
dossier's page shows its timeline and serves its PDF and JSON, an abandoned dossier is sent again, a
manual one is recorded as sent, and a reply that came by post is recorded and shown as such in public."""
from __future__ import annotations

import re
import uuid

import requests

from tests import support
from tests.e2e.test_pages import browser, csrf_of, sign_in
from tests.support import awaiting_review, forwarded_to, operator_of, poll, wait_status

CONSOLE = "/m/idrija/staff/forwarding"


def _control(platform, **settings):
    return requests.post(f"{platform.url('institution')}/_control", json=settings, timeout=10).json()


def _institution(staff, platform=None, channel: str = "manual") -> str:
    """A fresh institution of the directory: manual (by post), or a webhook at the stand-in intake."""
    code = f"f-{uuid.uuid4().hex[:8]}"
    body = {"id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": channel,
            "deadline_days": 30, "postal_address": "Gregorčičeva 20, 1000 Ljubljana"}
    if channel == "webhook":
        body.update(webhook_url=f"{platform.url('institution')}/intake/{code}", secret="dev-institution-secret")
    answer = operator_of(staff).post("/institutions", json=body)
    assert answer.status_code == 201, answer.text
    return code


def _console(gateway):
    staff = support.staff_of(gateway)
    return staff, sign_in(gateway, staff.email)


def _post(session, gateway: str, path: str, page: str, **fields) -> requests.Response:
    token = csrf_of(session.get(f"{gateway}{page}?lang=en", timeout=30).text)
    return session.post(f"{gateway}{path}?lang=en", data={"csrf_token": token, **fields}, timeout=30)


def test_a_conclusion_awaiting_review_is_approved_with_another_institution_and_a_note(gateway):
    staff, session = _console(gateway)
    _author, pid, proposed = awaiting_review(gateway, staff, theme="health")
    assert [d["institution_id"] for d in proposed] == ["mz"]
    review = f"{CONSOLE}/review/{pid}"

    queue = session.get(f"{gateway}{CONSOLE}?lang=en", timeout=30).text
    row = next(tr for tr in queue.split("<tr>") if f'href="{review}"' in tr)
    assert "Ministry of Health" in row and "Adopted" in row and "yes 1, no 0, abstain 0" in row
    dashboard = session.get(f"{gateway}/m/idrija/staff?lang=en", timeout=30).text
    assert re.search(r'<strong class="count">\d+</strong> conclusions? awaiting review', dashboard)

    form = session.get(f"{gateway}{review}?lang=en", timeout=30).text
    assert re.search(r'id="institution-mz" name="institutions" value="mz" checked', form)
    assert 'id="institution-uoim" name="institutions" value="uoim">' in form  # offered, not ticked

    empty = _post(session, gateway, review, review, step="check", note="Kept when refused.")
    assert empty.status_code == 422
    assert 'href="#institutions"' in empty.text and "Choose at least one institution" in empty.text
    assert "Kept when refused.</textarea>" in empty.text

    note = "The health centre in Idrija already offers interpreters on Tuesdays."
    check = _post(session, gateway, review, review, step="check", institutions="uoim", note=note)
    assert check.status_code == 200 and "Sign and send" in check.text
    sent_to = check.text[check.text.index("will be sent to"):check.text.index("Left out")]
    assert "Government Office for the Support and Integration of Migrants" in sent_to and "Added by you" in sent_to
    assert "Ministry of Health" in check.text[check.text.index("Left out"):]
    assert staff.get(f"/proposals/{pid}/forwarding").json()["dossiers"][0]["status"] == "awaiting_review"

    done = _post(session, gateway, review, review, step="confirmed", institutions="uoim", note=note)
    assert done.status_code == 200 and "are on their way" not in done.text  # one institution: the singular
    assert "The dossier was signed and is on its way to Government Office" in done.text
    status = {d["institution_id"]: d for d in staff.get(f"/proposals/{pid}/forwarding").json()["dossiers"]}
    assert status["mz"]["status"] == "cancelled" and status["uoim"]["status"] != "awaiting_review"
    assert status["uoim"]["document"]["staff_note"] == note
    assert f'href="{review}"' not in session.get(f"{gateway}{CONSOLE}?lang=en", timeout=30).text


def _dossier_links(html: str) -> set[str]:
    return set(re.findall(rf'href="{CONSOLE}/dossiers/([0-9a-f]+)"', html))


def test_the_dossier_list_filters_by_status(gateway):
    staff, session = _console(gateway)
    manual = _institution(staff)
    _a, pid_manual, [by_post] = forwarded_to(gateway, staff, [manual])
    _a, pid_hook, [by_hook] = forwarded_to(gateway, staff, ["mddsz"])
    wait_status(staff, pid_hook, "mddsz", "acknowledged", 60)
    listing = f"{gateway}{CONSOLE}/dossiers?lang=en"

    waiting = session.get(f"{listing}&status=awaiting_manual", timeout=30)
    assert waiting.status_code == 200
    assert by_post["id"] in _dossier_links(waiting.text) and by_hook["id"] not in _dossier_links(waiting.text)
    assert '<option value="awaiting_manual" selected>' in waiting.text
    acknowledged = session.get(f"{listing}&status=acknowledged&institution=mddsz", timeout=30).text
    assert by_hook["id"] in _dossier_links(acknowledged) and by_post["id"] not in _dossier_links(acknowledged)
    mine = session.get(f"{listing}&institution={manual}", timeout=30).text
    assert _dossier_links(mine) == {by_post["id"]} and "1 dossier<" in mine
    none = session.get(f"{listing}&institution={manual}&status=replied", timeout=30).text
    assert "No dossier matches" in none and not _dossier_links(none)


def test_a_dossier_page_shows_its_timeline_and_serves_its_pdf_and_json(gateway):
    staff, session = _console(gateway)
    _author, pid, [dossier] = forwarded_to(gateway, staff, ["mddsz"], note="For the timeline.")
    wait_status(staff, pid, "mddsz", "acknowledged", 60)
    page = session.get(f"{gateway}{CONSOLE}/dossiers/{dossier['id']}?lang=en", timeout=30)
    assert page.status_code == 200
    timeline = page.text[page.text.index('id="timeline"'):]
    for step in ("Dossier prepared and signed", "Approved by municipal staff", "Sent to the institution",
                 "Receipt confirmed by the institution"):
        assert step in timeline, step
    assert re.search(r'<time datetime="[^"]+\+0[12]:00">', timeline)  # Ljubljana's local time
    assert "Acknowledged" in page.text and "Record a reply received by post" in page.text

    pdf = session.get(f"{gateway}{CONSOLE}/dossiers/{dossier['id']}/pdf", timeout=30)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["Content-Disposition"]
    signed = session.get(f"{gateway}{CONSOLE}/dossiers/{dossier['id']}/json", timeout=30)
    assert signed.status_code == 200 and signed.headers["Content-Type"].startswith("application/json")
    assert signed.json()["dossier"]["dossier_id"] == dossier["id"] and signed.json()["signature"]["alg"] == "Ed25519"
    other = sign_in(gateway, support.staff_of(gateway, "litija").email)
    assert other.get(f"{gateway}{CONSOLE}/dossiers/{dossier['id']}/pdf", timeout=30).status_code == 403


def test_an_abandoned_dossier_is_sent_again_after_a_confirmation(platform, gateway):
    staff, session = _console(gateway)
    code = _institution(staff, platform, channel="webhook")
    _control(platform, code=code, mode="fail")
    try:
        _author, pid, [dossier] = forwarded_to(gateway, staff, [code])
        wait_status(staff, pid, code, "abandoned", 60)
        page = f"{CONSOLE}/dossiers/{dossier['id']}"
        shown = session.get(f"{gateway}{page}?lang=en", timeout=30).text
        assert "Abandoned after repeated failures" in shown and "HTTP 500" in shown and "Send again" in shown
        breakers = session.get(f"{gateway}{CONSOLE}/institutions?lang=en", timeout=30).text
        row = breakers[breakers.index(f"Office {code}"):][:800]
        assert "Closed: sending normally" in row and "4 / 5" in row
        failing = session.get(f"{gateway}{CONSOLE}/dossiers?lang=en&status=failing&institution={code}", timeout=30)
        assert _dossier_links(failing.text) == {dossier["id"]}

        asked = _post(session, gateway, f"{page}/retry", page)
        assert asked.status_code == 200 and "Yes, send it again" in asked.text
        assert wait_status(staff, pid, code, "abandoned")  # nothing happens before the confirmation
        _control(platform, code=code, mode="ok")
        done = _post(session, gateway, f"{page}/retry", page, confirmed="yes")
    finally:
        _control(platform, code=code, reset=True)
    assert done.status_code == 200 and "will be sent again now" in done.text
    wait_status(staff, pid, code, "acknowledged", 60)
    assert "Sent again" in session.get(f"{gateway}{page}?lang=en", timeout=30).text


def test_a_manual_dossier_is_recorded_as_sent(gateway):
    staff, session = _console(gateway)
    code = _institution(staff)
    _author, pid, [dossier] = forwarded_to(gateway, staff, [code])
    page = f"{CONSOLE}/dossiers/{dossier['id']}"
    shown = session.get(f"{gateway}{page}?lang=en", timeout=30).text
    assert "To be sent by post or by hand" in shown and "Gregorčičeva 20" in shown and "Record as sent" in shown

    note = "Registered letter RR123456789SI"
    asked = _post(session, gateway, f"{page}/sent", page, note=note)
    assert asked.status_code == 200 and "Yes, record it as sent" in asked.text and note in asked.text
    assert support.dossier_of(staff, pid, code)["status"] == "awaiting_manual"
    done = _post(session, gateway, f"{page}/sent", page, note=note, confirmed="yes")
    assert done.status_code == 200 and "is recorded as sent" in done.text
    sent = support.dossier_of(staff, pid, code)
    assert sent["status"] == "sent" and sent["due_at"]
    again = session.get(f"{gateway}{page}?lang=en", timeout=30).text
    assert f'note: <span dir="auto">{note}</span>' in again and "Sent, not yet acknowledged" in again


def test_a_reply_by_post_is_recorded_and_shown_in_public_as_by_post(gateway):
    staff, session = _console(gateway)
    _author, pid, [dossier] = forwarded_to(gateway, staff, ["mddsz"])
    wait_status(staff, pid, "mddsz", "acknowledged", 60)
    form = f"{CONSOLE}/dossiers/{dossier['id']}/reply"

    missing = _post(session, gateway, form, form, step="check", status="partly", text="  ")
    assert missing.status_code == 422 and 'href="#text"' in missing.text
    assert 'aria-describedby="text-hint text-error"' in missing.text
    assert 'id="status-partly" name="status" value="partly" checked' in missing.text

    text = "The ministry will fund two more language courses in Idrija from September."
    asked = _post(session, gateway, form, form, step="check", status="partly", text=text)
    assert asked.status_code == 200 and "Yes, record and publish the reply" in asked.text and text in asked.text
    assert support.dossier_of(staff, pid, "mddsz")["status"] == "acknowledged"
    done = _post(session, gateway, form, form, step="confirmed", status="partly", text=text)
    assert done.status_code == 200 and "Received by post" in done.text and text in done.text
    assert support.dossier_of(staff, pid, "mddsz")["reply"]["via"] == "post"

    public = poll(lambda: (p := browser("en").get(f"{gateway}/m/idrija/proposals/{pid}?lang=en", timeout=30).text)
                  and text in p and p, 30, "the reply on the public page")
    assert "This reply came by post; municipal staff recorded it." in public
    listed = session.get(f"{gateway}{CONSOLE}/dossiers?lang=en&status=replied&replied_within=7", timeout=30).text
    assert dossier["id"] in _dossier_links(listed) and "received by post" in listed
