"""Delivery by e-mail and by hand, acknowledgement and reply by every route (signed link, API key,
institution account, post), publication on the proposal and the author's notification."""
from __future__ import annotations

import base64
import re
import uuid

import requests

from services.local.smtp_server import read_mailbox
from tests.support import (
    adopted,
    dossier_of,
    forwarded_to,
    institution_account,
    operator_of,
    poll,
    staff_of,
    wait_status,
)

REPLY = "Predlog podpiramo; tečaje bomo razširili že jeseni. Lep pozdrav, ministrstvo."


def _institution(staff, channel: str, **extra) -> str:
    code = f"{channel[:1]}-{uuid.uuid4().hex[:8]}"
    body = {"id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": channel,
            "deadline_days": 30, **extra}
    answer = operator_of(staff).post("/institutions", json=body)
    assert answer.status_code == 201, answer.text
    return code


def test_email_channel_acknowledged_by_signed_link_and_answered_with_an_api_key(platform, gateway):
    staff = staff_of(gateway)
    address = f"intake-{uuid.uuid4().hex[:6]}@ministrstvo.gov.si"
    code = _institution(staff, "email", email=address)
    author, pid, _ = forwarded_to(gateway, staff, [code])
    sent = wait_status(staff, pid, code, "sent")
    mail = poll(lambda: read_mailbox(platform.maildir, to=address), 20, "the dossier e-mail")[0]
    files = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    assert set(files) == {f"dossier-{sent['id']}.pdf", f"dossier-{sent['id']}.json"}
    assert files[f"dossier-{sent['id']}.pdf"][:5] == b"%PDF-"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    page = re.search(r"(http\S+/portal/dossiers/\S+)", text).group(1)
    assert page.startswith(f"{gateway}/portal/dossiers/") and sent["digest"] in text
    assert "<h1" in requests.get(page, timeout=10).text  # the link opens the portal's page of the dossier
    link = page.replace(f"{gateway}/portal/", f"{gateway}/api/v1/portal/")  # the same path in the API: JSON

    assert requests.get(link.replace("token=", "token=0"), timeout=10).status_code == 403
    viewed = requests.get(link, timeout=10)
    assert viewed.status_code == 200 and viewed.json()["document"]["proposal"]["id"] == pid
    acknowledged = requests.post(link.replace(f"/{sent['id']}?", f"/{sent['id']}/acknowledge?"), timeout=10)
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"
    assert acknowledged.json()["receipt"].startswith("LINK-")

    assert staff.post(f"/institutions/{code}/api-key").status_code == 403  # only operators issue keys
    key = operator_of(staff).post(f"/institutions/{code}/api-key").json()["api_key"]
    attachment = {"filename": "odgovor.pdf", "content_type": "application/pdf",
                  "content_base64": base64.b64encode("%PDF-1.4 Odgovor: čšž".encode()).decode()}
    url = f"{gateway}/api/v1/portal/dossiers/{sent['id']}/reply"
    wrong = requests.post(url, json={"status": "accepted", "text": REPLY}, headers={"X-Api-Key": "civ_nope"},
                          timeout=10)
    assert wrong.status_code == 403
    replied = requests.post(url, json={"status": "accepted", "text": REPLY, "attachments": [attachment]},
                            headers={"X-Api-Key": key}, timeout=10)
    assert replied.status_code == 201, replied.text
    assert replied.json()["reply"]["via"] == "api_key"
    again = requests.post(url, json={"status": "rejected", "text": "x"}, headers={"X-Api-Key": key}, timeout=10)
    assert again.status_code == 409

    published = author.get(f"/proposals/{pid}/replies").json()["replies"]
    assert [(r["institution_id"], r["status"], r["text"]) for r in published] == [(code, "accepted", REPLY)]
    assert published[0]["attachments"][0]["size"] == len("%PDF-1.4 Odgovor: čšž".encode())
    mails = poll(lambda: [m for m in read_mailbox(platform.maildir, to=author.email)
                          if m["Subject"] == "The institution replied to your proposal"], 20,
                 "the author's notification of the reply")
    assert REPLY in mails[0].get_content() and code.upper() in mails[0].get_content()


def test_manual_channel_downloaded_marked_sent_and_answered_by_an_institution_account(platform, gateway):
    staff = staff_of(gateway)
    code = _institution(staff, "manual", postal_address="Gregorčičeva 20, 1000 Ljubljana")
    account, account_id = institution_account(gateway)
    assert staff.request("PATCH", f"/institutions/{code}", json={"account_ids": [account_id]}).status_code == 403
    assert operator_of(staff).request("PATCH", f"/institutions/{code}",
                                      json={"account_ids": [account_id]}).status_code == 200
    author, pid, _ = forwarded_to(gateway, staff, [code])
    waiting = wait_status(staff, pid, code, "awaiting_manual")
    assert staff.get(f"/dossiers/{waiting['id']}/pdf").content[:5] == b"%PDF-"
    assert account.post(f"/portal/dossiers/{waiting['id']}/reply",
                        json={"status": "accepted", "text": REPLY}).status_code == 409  # not sent yet
    assert author.post(f"/dossiers/{waiting['id']}/sent", json={}).status_code == 403
    marked = staff.post(f"/dossiers/{waiting['id']}/sent", json={"note": "Priporočeno s povratnico"})
    assert marked.status_code == 200 and marked.json()["status"] == "sent" and marked.json()["due_at"]
    assert staff.post(f"/dossiers/{waiting['id']}/sent", json={}).status_code == 409

    other, _ = institution_account(gateway)  # an institution account that does not act for this body
    assert other.get(f"/portal/dossiers/{waiting['id']}").status_code == 403
    assert account.get(f"/portal/dossiers/{waiting['id']}").status_code == 200
    bad = account.post(f"/portal/dossiers/{waiting['id']}/reply", json={"status": "forwarded", "text": REPLY})
    assert bad.status_code == 422  # "forwarded" must say to whom
    replied = account.post(f"/portal/dossiers/{waiting['id']}/reply",
                           json={"status": "forwarded", "text": REPLY, "forwarded_to": "zrsz"})
    assert replied.status_code == 201, replied.text
    done = dossier_of(author, pid, code)
    assert done["status"] == "replied" and done["reply"]["via"] == "account"
    assert [s["step"] for s in done["timeline"]][-3:] == ["dispatched", "acknowledged", "replied"]


def test_staff_record_a_reply_that_came_by_post(gateway):
    staff = staff_of(gateway)
    author, pid = adopted(gateway, staff, "health", "national")
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
    dossier = wait_status(author, pid, "mz", "acknowledged")
    assert author.post(f"/dossiers/{dossier['id']}/replies", json={"status": "partly", "text": REPLY}).status_code == 403
    recorded = staff.post(f"/dossiers/{dossier['id']}/replies", json={"status": "partly", "text": REPLY})
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["reply"]["via"] == "post"
    assert author.get(f"/proposals/{pid}/replies").json()["replies"][0]["status"] == "partly"
