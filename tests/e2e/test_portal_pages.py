"""The institution portal on the web, driven as a browser without JavaScript: the signed link of the
dossier mail opens the dossier as a page (a wrong token is refused and tells nothing), receipt is
confirmed with one click, the reply goes with its status, a plain-language summary and a file, and then
appears with the file and its digest on the proposal's public page; a wrong or too large file is a field
error that keeps what was typed; the verification page tells a real dossier file from a tampered one; an
institution account lands in its portal and filters its dossiers across municipalities."""
from __future__ import annotations

import hashlib
import json
import re
import uuid

import requests

from services.local.smtp_server import read_mailbox
from tests import support
from tests.e2e.test_pages import browser, csrf_of, sign_in
from tests.support import forwarded_to, institution_account, operator_of, poll, wait_status

PDF = b"%PDF-1.4\n% a ministry's answer\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
REPLY = "Ministrstvo predlog podpira. Tečaje slovenščine bomo razširili že to jesen."
SUMMARY = "The ministry agrees: more Slovene courses from this autumn."


def _institution(staff, channel: str, **extra) -> str:
    code = f"p-{uuid.uuid4().hex[:8]}"
    body = {"id": code, "name": {"sl": f"Ministrstvo {code}", "en": f"Ministry {code}"}, "themes": [],
            "channel": channel, "deadline_days": 30, **extra}
    answer = operator_of(staff).post("/institutions", json=body)
    assert answer.status_code == 201, answer.text
    return code


def mailed_link(platform, gateway) -> tuple[str, str, dict, str]:
    """A dossier sent by e-mail: (the link in the mail, proposal id, dossier, institution code)."""
    staff = support.staff_of(gateway)
    address = f"intake-{uuid.uuid4().hex[:6]}@gov.si"
    code = _institution(staff, "email", email=address)
    _author, pid, _ = forwarded_to(gateway, staff, [code], note="Prosimo za odgovor do konca meseca.")
    sent = wait_status(staff, pid, code, "sent", 60)
    mail = poll(lambda: read_mailbox(platform.maildir, to=address), 60, "the dossier e-mail")[0]
    link = re.search(r"(http\S+/portal/dossiers/\S+)", mail.get_body(preferencelist=("plain",)).get_content())[1]
    return link, pid, sent, code


def _post(session, url: str, page: str, files=None, **fields) -> requests.Response:
    token = csrf_of(session.get(page, timeout=30).text)
    return session.post(url, data={"csrf_token": token, **fields}, files=files, timeout=60)


def test_the_mail_link_opens_the_dossier_page_and_a_wrong_token_is_refused_telling_nothing(platform, gateway):
    link, pid, sent, code = mailed_link(platform, gateway)
    assert link.startswith(f"{gateway}/portal/dossiers/{sent['id']}?token=")
    page = browser().get(link + "&lang=en", timeout=30)
    assert page.status_code == 200, page.text
    html = page.text
    for words in ("The residents' conclusion", "The vote and its rules", "Arguments for", "Arguments against",
                  "Workshops", "Competence", 'Municipality of <span dir="auto">Idrija</span>', "Reply due", "Confirm receipt",
                  "How to verify this dossier", "/.well-known/civic-keys.json", sent["digest"]):
        assert words in html, words
    assert "the state" in html  # the competence's justification, as staff gave it at moderation
    resident = sign_in(gateway, support.register(gateway).email)  # the link is the proof, whoever is signed in
    assert resident.get(link + "&lang=en", timeout=30).status_code == 200
    pdf = browser().get(link.replace(f"/{sent['id']}?", f"/{sent['id']}/pdf?"), timeout=30)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"

    wrong = browser().get(link[:-1] + ("0" if link[-1] != "0" else "1") + "&lang=en", timeout=30)
    assert wrong.status_code == 403 and "This link does not open a dossier" in wrong.text
    proposal_title = re.search(r'<span dir="auto"[^>]*>([^<]+)</span></h1>', html)[1]
    assert proposal_title not in wrong.text and sent["digest"] not in wrong.text
    unknown = browser().get(f"{gateway}/portal/dossiers/{'f' * 24}?token={'a' * 64}&lang=en", timeout=30)
    assert unknown.status_code == 403 and unknown.text.count("This link does not open a dossier") >= 1
    assert browser().get(f"{gateway}/portal/dossiers/{sent['id']}?lang=en", timeout=30).status_code == 403


def test_receipt_confirmed_then_a_reply_with_summary_and_a_file_is_published_with_its_digest(platform, gateway):
    link, pid, sent, code = mailed_link(platform, gateway)
    session = browser()
    confirmed = _post(session, link.replace(f"/{sent['id']}?", f"/{sent['id']}/acknowledge?") + "&lang=en",
                      link + "&lang=en")
    assert confirmed.status_code == 200 and confirmed.url.startswith(link.split("&")[0])
    assert "Receipt confirmed. Acknowledgement number: LINK-" in confirmed.text
    assert 'action="/portal/dossiers/' in confirmed.text and "Confirm receipt</button>" not in confirmed.text

    reply_url = link.replace(f"/{sent['id']}?", f"/{sent['id']}/reply?") + "&lang=en"
    replied = _post(session, reply_url, link + "&lang=en", files={"attachments": ("odgovor-mddsz.pdf", PDF,
                                                                                    "application/pdf")},
                    status="partly", text=REPLY, summary=SUMMARY, confirm="yes")
    assert replied.status_code == 200, replied.text[:2000]
    assert "Your reply was sent and published" in replied.text and SUMMARY in replied.text
    digest = hashlib.sha256(PDF).hexdigest()
    assert digest in replied.text and "odgovor-mddsz.pdf" in replied.text

    public = browser().get(f"{gateway}/m/idrija/proposals/{pid}?lang=en", timeout=30).text
    assert SUMMARY in public and "odgovor-mddsz.pdf" in public and digest in public and "Partly accepted" in public
    href = re.search(r'href="([^"]+/attachments/0)"', public)[1]
    file = browser().get(f"{gateway}{href}", timeout=30)
    assert file.status_code == 200 and file.content == PDF and file.headers["Content-Type"] == "application/pdf"
    assert "odgovor-mddsz.pdf" in file.headers["Content-Disposition"]
    api = support.Client(gateway).get(f"/proposals/{pid}/replies").json()["replies"][0]
    assert api["summary"] == SUMMARY and api["attachments"][0]["sha256"] == digest


def test_a_wrong_kind_or_too_large_file_is_a_field_error_keeping_what_was_typed(platform, gateway):
    link, _pid, sent, _code = mailed_link(platform, gateway)
    session = browser()
    reply_url = link.replace(f"/{sent['id']}?", f"/{sent['id']}/reply?") + "&lang=en"
    fake = _post(session, reply_url, link + "&lang=en", files={"attachments": ("odgovor.pdf", b"<html>not a pdf",
                                                                                 "application/pdf")},
                 status="accepted", text=REPLY, summary=SUMMARY, confirm="yes")
    assert fake.status_code == 422
    assert "odgovor.pdf is not a PDF, PNG, JPEG, ODT or DOCX file." in fake.text
    assert 'aria-describedby="attachments-hint attachments-error"' in fake.text and 'href="#attachments"' in fake.text
    assert REPLY in fake.text and SUMMARY in fake.text and 'value="accepted" checked' in fake.text

    big = _post(session, reply_url, link + "&lang=en", files={"attachments": (
        "scan.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")},
        status="rejected", text=REPLY, confirm="yes")
    assert big.status_code == 422 and "scan.pdf is larger than 10 MB." in big.text and REPLY in big.text
    unconfirmed = _post(session, reply_url, link + "&lang=en", status="rejected", text=REPLY)
    assert unconfirmed.status_code == 422 and 'href="#confirm"' in unconfirmed.text
    still = browser().get(link + "&lang=en", timeout=30).text
    assert "Reply to the residents' conclusion" in still  # nothing was sent


def test_the_verify_page_tells_a_real_dossier_file_from_a_tampered_one(platform, gateway):
    link, _pid, sent, _code = mailed_link(platform, gateway)
    real = browser().get(link.replace(f"/{sent['id']}?", f"/{sent['id']}/json?"), timeout=30)
    assert real.status_code == 200
    session = browser()
    page = f"{gateway}/portal/verify?lang=en"
    valid = _post(session, page, page, files={"dossier": ("dossier.json", real.content, "application/json")})
    assert valid.status_code == 200 and "The signature is valid" in valid.text
    assert 'signed by the Municipality of <span dir="auto">Idrija</span> with its key idrija-1' in valid.text
    assert sent["id"] in valid.text

    body = json.loads(real.content)
    body["dossier"]["vote"]["tally"]["yes"] += 100
    tampered = _post(session, page, page, files={"dossier": ("dossier.json", json.dumps(body).encode(),
                                                             "application/json")})
    assert tampered.status_code == 200 and "The signature is not valid" in tampered.text
    assert "The signature is valid" not in tampered.text
    junk = _post(session, page, page, files={"dossier": ("notes.json", b"{}", "application/json")})
    assert "The signature is not valid" in junk.text and "is not a signed dossier" in junk.text
    empty = _post(session, page, page)
    assert empty.status_code == 422 and 'href="#dossier"' in empty.text


def test_an_institution_account_lands_in_its_portal_and_filters_its_dossiers_across_municipalities(gateway):
    staff, litija = support.staff_of(gateway), support.staff_of(gateway, "litija")
    code = _institution(staff, "manual", postal_address="Kotnikova 5, 1000 Ljubljana")
    account, account_id = institution_account(gateway)
    assert operator_of(staff).request("PATCH", f"/institutions/{code}", json={"account_ids": [account_id]}).ok
    dossiers = {}
    for who in (staff, litija):
        _author, pid, _ = forwarded_to(gateway, who, [code])
        waiting = wait_status(who, pid, code, "awaiting_manual", 60)
        assert who.post(f"/dossiers/{waiting['id']}/sent", json={}).status_code == 200
        dossiers[who.municipality] = waiting["id"]
    assert account.post(f"/portal/dossiers/{dossiers['litija']}/acknowledge").status_code == 200

    session = browser()
    form = session.get(f"{gateway}/login?lang=en", timeout=30)
    landed = session.post(f"{gateway}/login?lang=en", data={"email": account.email, "password": support.PASSWORD,
                                                            "csrf_token": csrf_of(form.text)}, timeout=30)
    assert landed.url == f"{gateway}/portal?lang=en" or landed.url.startswith(f"{gateway}/portal")
    assert "Dossiers addressed to your institution" in landed.text
    assert 'href="/portal" aria-current="page">Dossiers</a>' in landed.text  # the portal is in the main menu
    everything = session.get(f"{gateway}/portal?lang=en", timeout=30).text
    assert all(f"/portal/dossiers/{d}" in everything for d in dossiers.values())
    assert "Municipality of Litija" in everything or "Litija" in everything
    acknowledged = session.get(f"{gateway}/portal?status=acknowledged&lang=en", timeout=30).text
    assert f"/portal/dossiers/{dossiers['litija']}" in acknowledged
    assert f"/portal/dossiers/{dossiers['idrija']}" not in acknowledged
    idrija = session.get(f"{gateway}/portal?municipality=idrija&lang=en", timeout=30).text
    assert f"/portal/dossiers/{dossiers['idrija']}" in idrija and f"/portal/dossiers/{dossiers['litija']}" not in idrija
    opened = session.get(f"{gateway}/portal/dossiers/{dossiers['idrija']}?lang=en", timeout=30)
    assert opened.status_code == 200 and "Confirm receipt" in opened.text  # the account, no token
    resident = sign_in(gateway, support.register(gateway).email)
    assert resident.get(f"{gateway}/portal?lang=en", timeout=30).status_code == 403
