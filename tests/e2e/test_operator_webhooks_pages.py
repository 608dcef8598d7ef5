"""Operators manage third parties' webhooks on pages: subscribe an address (the signing secret is
shown once, never again), see it in the list, open it with its deliveries, stop and restart its
deliveries; a wrong address is a 422 beside its field with what was typed kept; others get a 403."""
from __future__ import annotations

import re
import uuid

from tests import support
from tests.e2e.test_pages import csrf_of, post_form, sign_in


def subscribe(session, page: str, **fields):
    """The subscription form posted from its page (its field `url` is no argument of post_form)."""
    token = csrf_of(session.get(page, timeout=30).text)
    return session.post(f"{page}?lang=en", data={"csrf_token": token, **fields}, timeout=30)


def test_an_operator_subscribes_an_address_and_stops_and_restarts_its_deliveries(gateway):
    operator = sign_in(gateway, support.operator_of(gateway).email)
    page = f"{gateway}/operator/webhooks"
    listing = operator.get(f"{page}?lang=en", timeout=30)
    assert listing.status_code == 200 and "<h1>Webhooks</h1>" in listing.text
    assert 'href="/operator/webhooks"' in listing.text  # in the operators' menu

    wrong = subscribe(operator, page, url="ftp://example.org/hook", events=["vote.closed"], description="The wrong one")
    assert wrong.status_code == 422
    assert 'id="url-error"' in wrong.text and 'value="ftp://example.org/hook"' in wrong.text
    assert 'value="The wrong one"' in wrong.text

    address = f"https://newsroom.example.org/{uuid.uuid4().hex[:8]}"
    created = subscribe(operator, page, url=address, events=["vote.closed", "reply.published"],
                        municipality="litija", description="Newsroom")
    assert created.status_code == 201 and "Copy its signing secret now" in created.text
    secret = re.search(r'<code class="secret">([^<]+)</code>', created.text).group(1)
    assert len(secret) >= 20
    link = re.search(r'href="(/operator/webhooks/[A-Za-z0-9_-]+)"', created.text).group(1)

    again = operator.get(f"{page}?lang=en", timeout=30)
    assert address in again.text and secret not in again.text  # shown once only
    detail = operator.get(f"{gateway}{link}?lang=en", timeout=30)
    assert detail.status_code == 200 and address in detail.text and secret not in detail.text
    assert "A vote is closed" in detail.text and "Litija" in detail.text and "No delivery here yet." in detail.text

    stopped = post_form(operator, f"{gateway}{link}/disable?lang=en", f"{gateway}{link}")
    assert "Deliveries to this address are stopped" in stopped.text and "Enable deliveries again" in stopped.text
    subscription = link.rsplit("/", 1)[1]
    api = support.operator_of(gateway)
    assert api.get(f"/webhooks/{subscription}").json()["active"] is False
    restarted = post_form(operator, f"{gateway}{link}/enable?lang=en", f"{gateway}{link}")
    assert "Deliveries to this address start again" in restarted.text
    assert api.get(f"/webhooks/{subscription}").json()["active"] is True


def test_only_operators_see_the_webhooks_pages(gateway):
    for session in (sign_in(gateway, support.register(gateway).email), sign_in(gateway, support.staff_of(gateway).email)):
        answer = session.get(f"{gateway}/operator/webhooks?lang=en", timeout=30)
        assert answer.status_code == 403 and "Not allowed" in answer.text
