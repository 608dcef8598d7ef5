"""An institution's reply reaches residents in their language: with machine translation on (the test
platform's provider is the local LibreTranslate stand-in), a reply is translated into each of the
municipality's languages, stored as "machine"; staff's human translation replaces one and is
published without who made it; a failing provider is retried, and nothing crashes; followers get
the reply mail in their own language."""
from __future__ import annotations

import uuid

import requests

from services.local.smtp_server import read_mailbox
from services.local.translator import translated
from tests.support import forwarded_to, operator_of, poll, register, staff_of

REPLY = "Predlog podpiramo; tečaje slovenščine bomo razširili že jeseni."
SUMMARY = "Ministrstvo se strinja: več tečajev jeseni."
IDRIJA_TARGETS = {"en", "uk", "sq", "bs"}  # Idrija's languages but Slovene, the replies' own


def _manual_institution(staff) -> str:
    code = f"t-{uuid.uuid4().hex[:8]}"
    answer = operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": "manual",
        "postal_address": "Ljubljana", "deadline_days": 30})
    assert answer.status_code == 201, answer.text
    return code


def replied(gateway, staff, follower=None, text: str = REPLY, summary: str | None = SUMMARY):
    """A conclusion sent by hand and answered by post; (proposal id, dossier id)."""
    code = _manual_institution(staff)
    _author, pid, dossiers = forwarded_to(gateway, staff, [code])
    if follower is not None:
        assert follower.put(f"/proposals/{pid}/follow").status_code == 200
    dossier_id = dossiers[0]["id"]
    poll(lambda: staff.get(f"/dossiers/{dossier_id}").json()["status"] == "awaiting_manual", 30, "awaiting_manual")
    assert staff.post(f"/dossiers/{dossier_id}/sent", json={"note": "RR1"}).status_code == 200
    answer = staff.post(f"/dossiers/{dossier_id}/replies", json={"status": "accepted", "text": text, "summary": summary})
    assert answer.status_code == 201, answer.text
    return pid, dossier_id


def translations_of(staff, dossier_id) -> dict:
    return (staff.get(f"/dossiers/{dossier_id}").json().get("reply") or {}).get("translations") or {}


def test_a_reply_is_machine_translated_into_every_language_and_a_human_translation_replaces_one(gateway):
    staff = staff_of(gateway)
    pid, dossier_id = replied(gateway, staff)
    machine = poll(lambda: (t := translations_of(staff, dossier_id)) and set(t) >= IDRIJA_TARGETS and t, 60,
                   "a machine translation in each of Idrija's languages")
    assert set(machine) == IDRIJA_TARGETS  # not into Slovene, the original's language
    for language, entry in machine.items():
        assert entry["kind"] == "machine" and entry["provider"] == "libretranslate" and entry["by"] is None
        assert entry["text"] == translated(REPLY, language) and entry["summary"] == translated(SUMMARY, language)

    human = staff.put(f"/replies/{dossier_id}/translations/uk",
                      json={"summary": "Міністерство погоджується.", "text": "Ми підтримуємо пропозицію."})
    assert human.status_code == 200, human.text
    assert human.json()["kind"] == "human" and human.json()["by"]
    now = translations_of(staff, dossier_id)
    assert now["uk"]["kind"] == "human" and now["uk"]["text"] == "Ми підтримуємо пропозицію."
    assert now["en"]["kind"] == "machine"  # the others stay as they were

    published = requests.get(f"{gateway}/api/v1/m/idrija/proposals/{pid}/replies", timeout=10).json()["replies"][0]
    assert published["summary"] == SUMMARY and published["language"] == "sl"
    assert published["translations"]["uk"] == {"summary": "Міністерство погоджується.",
                                               "text": "Ми підтримуємо пропозицію.", "kind": "human",
                                               "at": now["uk"]["at"]}  # who translated is not published
    public = requests.get(f"{gateway}/api/v1/m/idrija/proposals/{pid}/forwarding", timeout=10).json()
    assert "by" not in public["dossiers"][0]["reply"]["translations"]["uk"]


def test_staff_translate_only_into_the_municipality_s_other_languages_and_only_a_reply(gateway):
    staff = staff_of(gateway)
    _pid, dossier_id = replied(gateway, staff, summary=None)
    body = {"text": "Prevod."}
    assert staff.put(f"/replies/{dossier_id}/translations/sl", json=body).status_code == 422  # the original's
    assert staff.put(f"/replies/{dossier_id}/translations/de", json=body).status_code == 422  # not Idrija's
    assert staff.put(f"/replies/{dossier_id}/translations/uk", json={"text": ""}).status_code == 422
    assert staff.put(f"/replies/{dossier_id}/translations/uk", json={"text": "x" * 20_001}).status_code == 422
    assert staff_of(gateway, "litija").put(f"/replies/{dossier_id}/translations/uk", json=body).status_code == 404
    resident = register(gateway)
    assert resident.put(f"/replies/{dossier_id}/translations/uk", json=body).status_code == 403
    code = _manual_institution(staff)
    _author, _pid2, dossiers = forwarded_to(gateway, staff, [code])
    answer = staff.put(f"/replies/{dossiers[0]['id']}/translations/uk", json=body)
    assert answer.status_code == 409  # nothing to translate before the institution replies


def test_a_failing_provider_is_retried_later_without_losing_the_reply(platform, gateway):
    standin = platform.url("translator")
    staff = staff_of(gateway)
    before = requests.get(f"{standin}/_requests", timeout=5).json()["requests"]
    requests.post(f"{standin}/_control", json={"mode": "fail"}, timeout=5)
    try:
        _pid, dossier_id = replied(gateway, staff, text="Odgovor, ki ga prevajalnik najprej ne prevede.")
        poll(lambda: requests.get(f"{standin}/_requests", timeout=5).json()["requests"] >= before + 3, 60,
             "the provider to be asked (and fail) for the reply")
        assert translations_of(staff, dossier_id) == {}
    finally:
        requests.post(f"{standin}/_control", json={"mode": "ok"}, timeout=5)
    done = poll(lambda: (t := translations_of(staff, dossier_id)) and set(t) >= IDRIJA_TARGETS and t, 60,
                "the machine translations after the provider recovered")
    assert done["uk"]["text"] == "[uk] Odgovor, ki ga prevajalnik najprej ne prevede."
    assert staff.get(f"/dossiers/{dossier_id}").json()["status"] == "replied"


def test_a_follower_reading_ukrainian_gets_the_reply_mail_in_ukrainian(platform, gateway):
    staff = staff_of(gateway)
    follower = register(gateway, language="uk")
    _pid, dossier_id = replied(gateway, staff, follower=follower)
    mails = poll(lambda: [m for m in read_mailbox(platform.maildir, to=follower.email)
                          if dossier_id and "[uk]" in m.get_content()], 60, "the follower's reply mail")
    body = mails[0].get_content()
    assert translated(SUMMARY, "uk") in body and translated(REPLY, "uk") in body
    assert REPLY not in body.replace(translated(REPLY, "uk"), "")  # not the Slovene original besides
