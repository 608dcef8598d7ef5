"""One's own pages (/me), driven as a browser without JavaScript: GET a form, read its CSRF token,
POST it, follow the redirect (the session keeps the cookie)."""
from __future__ import annotations

import re

from tests import support
from tests.e2e.test_pages import browser, post_form, sign_in
from tests.support import poll

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
