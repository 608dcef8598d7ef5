"""The portal's operations over the JSON API: an institution account's dossiers across municipalities
(portal_dossiers: filtered, counted, only its own), and a reply's summary and attachments: checked by
content and size, kept by digest, and downloaded by anyone with the published reply (reply_attachment)."""
from __future__ import annotations

import base64
import hashlib
import uuid

from tests.support import Client, forwarded_to, institution_account, operator_of, staff_of, wait_status

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _file(name: str, raw: bytes) -> dict:
    return {"filename": name, "content_type": "application/octet-stream",
            "content_base64": base64.b64encode(raw).decode()}


def _manual_institution(staff, account_id: str) -> str:
    code = f"m-{uuid.uuid4().hex[:8]}"
    answer = operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": "manual",
        "deadline_days": 30, "account_ids": [account_id]})
    assert answer.status_code == 201, answer.text
    return code


def _sent(staff, code: str) -> tuple[str, dict]:
    _author, pid, _ = forwarded_to(staff.base.removesuffix("/api/v1"), staff, [code])
    waiting = wait_status(staff, pid, code, "awaiting_manual", 60)
    assert staff.post(f"/dossiers/{waiting['id']}/sent", json={}).status_code == 200
    return pid, waiting


def test_an_institution_lists_only_its_dossiers_across_municipalities_with_filters(gateway):
    idrija, litija = staff_of(gateway), staff_of(gateway, "litija")
    account, account_id = institution_account(gateway)
    code = _manual_institution(idrija, account_id)
    lonely, _ = institution_account(gateway)
    refused = lonely.get("/portal/dossiers")
    assert refused.status_code == 403, refused.text  # acts for no institution
    assert idrija.get("/portal/dossiers").status_code == 403  # staff are not institutions
    _, first = _sent(idrija, code)
    _, second = _sent(litija, code)
    assert account.post(f"/portal/dossiers/{second['id']}/acknowledge").status_code == 200

    listed = account.get("/portal/dossiers").json()
    assert {d["id"] for d in listed["items"]} == {first["id"], second["id"]} and listed["total"] == 2
    assert listed["municipalities"] == ["idrija", "litija"]
    assert listed["counts"] == {"sent": 1, "acknowledged": 1, "replied": 0, "overdue": 0}
    by_status = account.get("/portal/dossiers", params={"status": "acknowledged"}).json()
    assert [(d["id"], d["municipality"]) for d in by_status["items"]] == [(second["id"], "litija")]
    by_place = account.get("/portal/dossiers", params={"municipality": "idrija", "per_page": 1}).json()
    assert [d["id"] for d in by_place["items"]] == [first["id"]] and by_place["items"][0]["due_at"]
    assert account.get("/portal/dossiers", params={"status": "bogus"}).status_code == 422


def test_a_reply_s_files_are_checked_by_content_kept_by_digest_and_served_with_the_reply(gateway):
    staff = staff_of(gateway)
    account, account_id = institution_account(gateway)
    code = _manual_institution(staff, account_id)
    pid, dossier = _sent(staff, code)
    url = f"/portal/dossiers/{dossier['id']}/reply"
    wrong = account.post(url, json={"status": "accepted", "text": "Da.", "attachments": [
        _file("slika.png", PNG), _file("report.pdf", b"<html>not a pdf</html>")]})
    assert wrong.status_code == 422 and wrong.json()["code"] == "file_type"
    assert "1" in wrong.json()["errors"]["json"]["attachments"]
    too_many = account.post(url, json={"status": "accepted", "text": "Da.",
                                       "attachments": [_file(f"{n}.png", PNG) for n in range(4)]})
    assert too_many.status_code == 422
    big = account.post(url, json={"status": "accepted", "text": "Da.",
                                  "attachments": [_file("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))]})
    assert big.status_code == 422 and "attachments" in big.json()["errors"]["json"]

    large = b"%PDF-1.7\n" + uuid.uuid4().bytes * (3 * 1024 * 1024 // 16)  # three chunks
    replied = account.post(url, json={"status": "accepted", "text": "Da.", "summary": "Yes, from autumn.",
                                      "attachments": [_file("slika.png", PNG), _file("odgovor.pdf", large)]})
    assert replied.status_code == 201, replied.text
    kept = replied.json()["reply"]["attachments"]
    assert [(a["filename"], a["content_type"], a["size"]) for a in kept] == [
        ("slika.png", "image/png", len(PNG)), ("odgovor.pdf", "application/pdf", len(large))]
    assert kept[1]["sha256"] == hashlib.sha256(large).hexdigest()

    public = Client(gateway).get(f"/proposals/{pid}/replies").json()["replies"][0]
    assert public["summary"] == "Yes, from autumn." and public["attachments"] == kept
    download = Client(gateway).get(f"/proposals/{pid}/replies/{dossier['id']}/attachments/1")
    assert download.status_code == 200 and download.content == large
    assert download.headers["Content-Type"] == "application/pdf" and "odgovor.pdf" in download.headers[
        "Content-Disposition"]
    assert Client(gateway).get(f"/proposals/{pid}/replies/{dossier['id']}/attachments/2").status_code == 404
    elsewhere = Client(gateway, municipality="litija").get(
        f"/proposals/{pid}/replies/{dossier['id']}/attachments/0", params={"municipality": "litija"})
    assert elsewhere.status_code == 404  # another municipality's proposal
