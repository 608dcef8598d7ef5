"""One's own pages (/me), driven as a browser without JavaScript: GET a form, read its CSRF token,
POST it, follow the redirect (the session keeps the cookie)."""
from __future__ import annotations

import re

import requests

from services.local.smtp_server import read_mailbox
from tests import support
from tests.e2e.test_pages import browser, post_form, sign_in
from tests.support import PASSWORD, poll

ITEM = re.compile(r'id="item-([0-9a-f]+)"')


def published_news(gateway: str) -> support.Client:
    """A resident (English) whose proposal was published: one unread inbox item."""
    author, staff = support.register(gateway, language="en"), support.staff_of(gateway)
    proposal = author.submit()
    assert staff.post(f"/proposals/{proposal['id']}/moderation",
                      json={"decision": "approve", "competence": "national"}).status_code == 200
    poll(lambda: author.get("/inbox").json()["unread"] == 1, 30, "the author's inbox item")
    return author


def test_the_inbox_shows_read_and_unread_in_words_filters_unread_and_marks_an_item_read(gateway):
    author = published_news(gateway)
    session = sign_in(gateway, author.email)
    page = session.get(f"{gateway}/me?lang=en", timeout=30)
    assert page.status_code == 200 and "<h1>My inbox</h1>" in page.text
    assert "My inbox (1 unread)" in page.text  # the header's link
    assert "Your proposal was published" in page.text and '<span class="badge">Unread</span>' in page.text
    item_id = ITEM.search(page.text).group(1)

    unread = session.get(f"{gateway}/me?show=unread", timeout=30)
    assert f'id="item-{item_id}"' in unread.text and "Mark as read" in unread.text

    # Someone else cannot mark it read: it is not in their inbox.
    stranger = sign_in(gateway, support.register(gateway, language="en").email)
    refused = post_form(stranger, f"{gateway}/me/inbox/{item_id}/read", f"{gateway}/me?lang=en")
    assert refused.status_code == 200 and "This message is not in your inbox." in refused.text
    assert author.get("/inbox").json()["unread"] == 1

    done = post_form(session, f"{gateway}/me/inbox/{item_id}/read", f"{gateway}/me?show=unread",
                     next="/me?show=unread")
    assert done.status_code == 200 and done.url.endswith("/me?show=unread"), done.url
    assert "The message is marked as read." in done.text and "No unread messages" in done.text
    assert "My inbox (0 unread)" in done.text
    everything = session.get(f"{gateway}/me", timeout=30)
    assert f'id="item-{item_id}"' in everything.text and '<span class="badge">Read</span>' in everything.text
    assert "Mark as read" not in everything.text
    assert author.get("/inbox").json()["unread"] == 0


def test_the_inbox_needs_signing_in_and_is_a_national_page(gateway):
    answer = browser().get(f"{gateway}/me?lang=en", allow_redirects=False, timeout=30)
    assert answer.status_code == 302 and "/login?next=/me" in answer.headers["Location"]
    staff = sign_in(gateway, support.staff_of(gateway, "litija").email)
    page = staff.get(f"{gateway}/me?lang=en", timeout=30)
    assert page.status_code == 200 and "Your inbox is empty" in page.text
    assert "Municipality of Litija" not in page.text  # not one municipality's page


def contact_language(user_id: str) -> str | None:
    """The language notifications writes a person's mails in (its projection of the account)."""
    import pymongo

    from services.settings import get_settings

    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        found = client[settings.database("notifications")]["contacts"].find_one({"_id": user_id})
    return found and found.get("language")


def test_account_settings_change_the_display_name_and_the_language_and_the_mails_follow(gateway, platform):
    resident = support.register(gateway, language="en")
    session = sign_in(gateway, resident.email)
    settings_url = f"{gateway}/me/account"
    page = session.get(f"{settings_url}?lang=en", timeout=30)
    assert page.status_code == 200 and resident.email in page.text and 'id="display_name"' in page.text

    too_long = post_form(session, settings_url, settings_url, display_name="x" * 81, language="en")
    assert too_long.status_code == 422 and 'role="alert"' in too_long.text
    assert 'id="display_name-error"' in too_long.text and "Use at most 80 characters." in too_long.text

    saved = post_form(session, settings_url, settings_url, display_name="  Ana K. ", language="uk")
    assert saved.status_code == 200 and saved.url.endswith("/me/account")
    assert '<html lang="uk" dir="ltr">' in saved.text and 'value="Ana K."' in saved.text  # the pages follow at once
    account = resident.get("/me").json()
    assert (account["display_name"], account["language"]) == ("Ana K.", "uk")

    # The mails follow once notifications has heard of the change (accounts.account_updated).
    poll(lambda: contact_language(support.user_id(resident)) == "uk", 30, "notifications to learn the language")
    proposal = resident.submit()
    assert support.staff_of(gateway).post(f"/proposals/{proposal['id']}/moderation", json={
        "decision": "approve", "competence": "national"}).status_code == 200
    mails = poll(lambda: read_mailbox(platform.maildir, to=resident.email), 30, "the publication mail")
    assert mails[0]["Subject"] == "Вашу пропозицію опубліковано"


def test_the_account_api_validates_every_field(gateway):
    resident = support.register(gateway)
    assert support.Client(gateway).get("/me").status_code == 401
    wrong = resident.patch("/me", json={"language": "xx", "colour": "red"})
    assert wrong.status_code == 422
    assert set(wrong.json()["errors"]["json"]) == {"language", "colour"}
    cleared = resident.patch("/me", json={"display_name": None})
    assert cleared.status_code == 200 and cleared.json()["display_name"] is None


def test_a_password_is_changed_with_the_current_one_and_by_the_rules_of_registration(gateway):
    resident = support.register(gateway, language="en")
    session = sign_in(gateway, resident.email)
    url = f"{gateway}/me/password"
    wrong = post_form(session, url, f"{url}?lang=en", current_password="not-my-password-1",
                      new_password="a-new-password-1")
    assert wrong.status_code == 422 and "The current password is wrong." in wrong.text
    assert 'id="current_password-error"' in wrong.text
    weak = post_form(session, url, url, current_password=PASSWORD, new_password="short")
    assert weak.status_code == 422 and 'id="new_password-error"' in weak.text
    assert "Use at least 10 characters." in weak.text
    changed = post_form(session, url, url, current_password=PASSWORD, new_password="a-new-password-1")
    assert changed.status_code == 200 and changed.url.endswith("/me/account")
    assert "Your password was changed." in changed.text
    assert support.login(gateway, resident.email, "a-new-password-1")
    old = requests.post(f"{gateway}/api/v1/auth/login", json={"email": resident.email, "password": PASSWORD},
                        timeout=30)
    assert old.status_code == 401


RESET_LINK = re.compile(r"http://\S+(/password-reset/[A-Za-z0-9_-]+)")


def test_a_forgotten_password_is_reset_through_the_pages_with_the_mailed_link(gateway, platform):
    resident = support.register(gateway, language="en")
    session = browser("en")
    login = session.get(f"{gateway}/login", timeout=30)
    assert 'href="/password-reset"' in login.text
    url = f"{gateway}/password-reset"
    bad = post_form(session, url, url, email="not an address")
    assert bad.status_code == 422 and 'role="alert"' in bad.text and 'href="#email"' in bad.text
    unknown = post_form(session, url, url, email=support.unique_email("nobody"))
    asked = post_form(session, url, url, email=resident.email)
    assert asked.status_code == unknown.status_code == 200 and asked.url == unknown.url == url
    notice = "If an account has this e-mail address, we have sent a link to it."
    assert notice in asked.text and notice in unknown.text  # the same answer either way

    mail = poll(lambda: read_mailbox(platform.maildir, to=resident.email), 30, "the reset mail")[0]
    link = gateway + RESET_LINK.search(mail.get_content()).group(1)
    form = session.get(link, timeout=30)
    assert form.status_code == 200 and 'autocomplete="new-password"' in form.text
    assert form.headers["Referrer-Policy"] == "no-referrer" and "no-store" in form.headers["Cache-Control"]
    weak = post_form(session, link, link, password="lettersonly")
    assert weak.status_code == 422 and 'id="password-error"' in weak.text
    done = post_form(session, link, link, password="my-new-password-5")
    assert done.status_code == 200 and done.url.startswith(f"{gateway}/login")
    assert "Your new password is set. Sign in with it." in done.text
    assert sign_in(gateway, resident.email, "my-new-password-5")
    used = session.get(link, timeout=30)
    assert used.status_code == 404 and "This link does not work any more" in used.text
    assert 'href="/password-reset"' in used.text


UNSUBSCRIBE_LINK = re.compile(r"http://\S+(/unsubscribe/[A-Za-z0-9_.:@-]+)")


def test_e_mail_settings_are_chosen_per_kind_on_a_page(gateway):
    resident = support.register(gateway, language="en")
    session = sign_in(gateway, resident.email)
    url = f"{gateway}/me/notifications"
    page = session.get(f"{url}?lang=en", timeout=30)
    assert page.status_code == 200 and "<legend>Your proposal was published</legend>" in page.text
    assert 'name="proposals.proposal_published" value="immediately" checked' in page.text
    assert "For the municipality" not in page.text  # a resident chooses only their own kinds
    saved = post_form(session, url, url, **{"proposals.proposal_published": "daily",
                                            "voting.conclusion_reached.followers": "never"})
    assert saved.status_code == 200 and saved.url.endswith("/me/notifications")
    assert "Your e-mail settings were saved." in saved.text
    assert 'name="proposals.proposal_published" value="daily" checked' in saved.text
    assert 'name="voting.conclusion_reached.followers" value="never" checked' in saved.text
    wrong = post_form(session, url, url, **{"proposals.proposal_published": "hourly"})
    assert wrong.status_code == 422 and 'href="#proposals.proposal_published"' in wrong.text
    modes = {k["kind"]: k["mode"] for k in resident.get("/me/notification-preferences").json()["kinds"]}
    assert modes["proposals.proposal_published"] == "daily"  # the wrong choice changed nothing


def test_the_unsubscribe_link_of_a_mail_turns_its_kind_off_without_signing_in(gateway, platform):
    author = published_news(gateway)
    mail = poll(lambda: read_mailbox(platform.maildir, to=author.email), 30, "the publication mail")[0]
    link = gateway + UNSUBSCRIBE_LINK.search(mail.get_content()).group(1)
    anyone = browser("en")
    page = anyone.get(link, timeout=30)
    assert page.status_code == 200 and "Your proposal was published" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    modes = lambda: {k["kind"]: k["mode"] for k in author.get("/me/notification-preferences").json()["kinds"]}
    assert modes()["proposals.proposal_published"] == "immediately"  # opening the link changes nothing
    done = post_form(anyone, link, link)
    assert done.status_code == 200 and done.url == link
    assert "Done: you will get no more e-mails about “Your proposal was published”." in done.text
    assert "You get no e-mails about" in done.text
    assert modes()["proposals.proposal_published"] == "never"
    broken = anyone.get(link[:-4] + "xxxx", timeout=30)
    assert broken.status_code == 404 and "This unsubscribe link does not work." in broken.text


def test_a_resident_downloads_their_data_from_a_page(gateway):
    author = published_news(gateway)
    session = sign_in(gateway, author.email)
    page = session.get(f"{gateway}/me/data?lang=en", timeout=30)
    assert page.status_code == 200 and "It never contains how you voted" in page.text
    assert 'href="/me/data.json"' in page.text
    download = session.get(f"{gateway}/me/data.json", timeout=30)
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    data = download.json()
    assert data["account"]["email"] == author.email and len(data["proposals"]) == 1
    assert data["inbox"][0]["kind"] == "proposals.proposal_published"
    assert browser().get(f"{gateway}/me/data.json", allow_redirects=False, timeout=30).status_code == 302


def test_a_resident_deletes_their_account_after_a_page_that_says_what_stays(gateway):
    resident = support.register(gateway, language="en")
    session = sign_in(gateway, resident.email)
    url = f"{gateway}/me/delete"
    page = session.get(f"{url}?lang=en", timeout=30)
    assert page.status_code == 200
    assert "Your votes stay counted, and stay anonymous" in page.text
    assert "Your proposals and comments stay published, without your name" in page.text
    assert 'href="/me/data"' in page.text and 'autocomplete="current-password"' in page.text
    wrong = post_form(session, url, url, password="not-my-password-1")
    assert wrong.status_code == 422 and 'href="#password"' in wrong.text
    assert "The current password is wrong." in wrong.text
    done = post_form(session, url, url, password=PASSWORD)
    assert done.status_code == 200 and done.url.rstrip("/") == gateway
    assert "Your account is closed. Thank you for taking part." in done.text
    assert ">Sign in<" in done.text  # signed out
    assert session.get(f"{gateway}/me", allow_redirects=False, timeout=30).status_code == 302
    again = requests.post(f"{gateway}/api/v1/auth/login", json={"email": resident.email, "password": PASSWORD},
                          timeout=30)
    assert again.status_code == 401

    staff = sign_in(gateway, support.staff_of(gateway).email)
    theirs = staff.get(f"{url}?lang=en", timeout=30)
    assert "are closed by the platform" in theirs.text and 'name="password"' not in theirs.text
