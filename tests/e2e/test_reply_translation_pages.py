"""Replies in the residents' languages, as a browser without JavaScript: staff add a Ukrainian
translation of an institution's reply through the form on the reply's translations page (a missing
text first refused at its field, what was typed kept); a resident reading in Ukrainian then sees it on
the proposal's page marked as translated by the municipality, with the original one click away; a
reader in English sees the machine translation, marked as such; a reader in Slovene the original."""
from __future__ import annotations

import html
import re
import uuid

from services.i18n import gettext
from services.local.translator import translated
from tests import support
from tests.e2e.test_pages import browser, csrf_of, sign_in
from tests.support import forwarded_to, operator_of, poll

REPLY = "Ministrstvo predlog podpira. Tečaje slovenščine bomo v Idriji razširili že to jesen."
SUMMARY = "Ministrstvo se strinja: jeseni več tečajev slovenščine."
UK_TEXT = "Міністерство підтримує пропозицію. Курси словенської мови в Ідрії розширять уже цієї осені."
UK_SUMMARY = "Міністерство погоджується: восени більше курсів словенської."


def replied(gateway, staff) -> tuple[str, str]:
    """A conclusion sent by hand to a fresh institution and answered by post; (proposal id, dossier id)."""
    code = f"r-{uuid.uuid4().hex[:8]}"
    assert operator_of(staff).post("/institutions", json={
        "id": code, "name": {"sl": f"Urad {code}", "en": f"Office {code}"}, "themes": [], "channel": "manual",
        "postal_address": "Ljubljana"}).status_code == 201
    _author, pid, dossiers = forwarded_to(gateway, staff, [code])
    dossier_id = dossiers[0]["id"]
    poll(lambda: staff.get(f"/dossiers/{dossier_id}").json()["status"] == "awaiting_manual", 30, "awaiting_manual")
    assert staff.post(f"/dossiers/{dossier_id}/sent", json={}).status_code == 200
    assert staff.post(f"/dossiers/{dossier_id}/replies",
                      json={"status": "accepted", "text": REPLY, "summary": SUMMARY}).status_code == 201
    poll(lambda: len((staff.get(f"/dossiers/{dossier_id}").json()["reply"].get("translations") or {})) == 4, 60,
         "the machine translations into Idrija's other languages")
    return pid, dossier_id


def reply_section(page: str) -> str:
    return page[page.index('class="reply"'):]


def test_staff_add_a_ukrainian_translation_and_residents_read_the_reply_in_their_language(gateway):
    staff = support.staff_of(gateway)
    session = sign_in(gateway, staff.email)
    pid, dossier_id = replied(gateway, staff)
    dossier_page = session.get(f"{gateway}/m/idrija/staff/forwarding/dossiers/{dossier_id}?lang=en", timeout=30).text
    translations_url = f"/m/idrija/staff/forwarding/dossiers/{dossier_id}/translations"
    assert f'href="{translations_url}"' in dossier_page

    page = session.get(f"{gateway}{translations_url}?lang=en", timeout=30)
    assert page.status_code == 200
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r'<th scope="row"><a href="#language-(\w+)"[^>]*>[^<]+</a></th>\s*<td><span class="translation-state '
        r'state-(\w+)">', page.text)}
    assert rows == {"en": "machine", "uk": "machine", "sq": "machine", "bs": "machine"}  # not Slovene, the original
    assert "have no translation yet" not in page.text and html.escape(REPLY) in page.text
    assert 'id="text-uk"' in page.text and html.escape(translated(REPLY, "uk")) in page.text  # the machine's, to correct

    action = f"{gateway}{translations_url}/uk?lang=en"
    token = csrf_of(page.text)
    refused = session.post(action, data={"csrf_token": token, "summary-uk": UK_SUMMARY, "text-uk": ""}, timeout=30)
    assert refused.status_code == 422
    assert '<a href="#text-uk">Write the translation of the reply.</a>' in refused.text
    assert re.search(r'<textarea id="text-uk" name="text-uk"[^>]*aria-describedby="text-uk-error"', refused.text)
    assert UK_SUMMARY in refused.text  # what was typed is kept

    saved = session.post(action, data={"csrf_token": token, "summary-uk": UK_SUMMARY, "text-uk": UK_TEXT},
                         timeout=30, allow_redirects=False)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{translations_url}#language-uk")
    after = session.get(f"{gateway}{translations_url}?lang=en", timeout=30).text
    assert "The translation (Українська) is saved and published with the reply." in after
    assert re.search(r'href="#language-uk"[^>]*>[^<]+</a></th>\s*<td><span class="translation-state state-human">',
                     after)

    ukrainian = reply_section(browser().get(f"{gateway}/m/idrija/proposals/{pid}?lang=uk", timeout=30).text)
    assert f'<div class="reply-text" lang="uk" dir="auto"><p>{UK_TEXT}</p></div>' in ukrainian
    assert f'<div class="reply-summary" lang="uk" dir="auto"><p>{UK_SUMMARY}</p></div>' in ukrainian
    assert f'badge-human">{gettext("uk", "Translated by the municipality")}</span>' in ukrainian
    original = ukrainian[ukrainian.index('<details class="reply-original">'):]
    assert f'<div class="reply-text" lang="sl" dir="auto"><p>{REPLY}</p></div>' in original.split("</details>")[0]

    english = reply_section(browser().get(f"{gateway}/m/idrija/proposals/{pid}?lang=en", timeout=30).text)
    assert f'lang="en" dir="auto"><p>{html.escape(translated(REPLY, "en"))}</p>' in english
    assert 'badge-machine">Machine translation</span>' in english and '<details class="reply-original">' in english

    slovene = reply_section(browser().get(f"{gateway}/m/idrija/proposals/{pid}?lang=sl", timeout=30).text)
    assert f'<div class="reply-text" lang="sl" dir="auto"><p>{REPLY}</p></div>' in slovene
    assert UK_TEXT not in slovene and "<details" not in slovene and "badge-human" not in slovene


def test_a_resident_cannot_open_the_translations_page(gateway):
    staff = support.staff_of(gateway)
    pid, dossier_id = replied(gateway, staff)
    resident = support.register(gateway)
    session = sign_in(gateway, resident.email)
    page = session.get(f"{gateway}/m/idrija/staff/forwarding/dossiers/{dossier_id}/translations?lang=en", timeout=30)
    assert page.status_code in (403, 404)
    other = sign_in(gateway, support.staff_of(gateway, "litija").email)
    elsewhere = other.get(f"{gateway}/m/litija/staff/forwarding/dossiers/{dossier_id}/translations?lang=en", timeout=30)
    assert elsewhere.status_code == 404
