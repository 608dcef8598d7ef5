"""The staff console's "Reports and blocks" section, driven as a browser without JavaScript drives it:
residents report a comment and it reaches the staff's list with its count and reasons; staff hide it
(with a reason, tied to its field when missing) and it leaves the discussion; staff keep another one;
block an author from its comment (a confirmation first), the blocked resident cannot comment, unblock
(a confirmation first); the audit log's filters, and its CSV download holding the page's rows."""
from __future__ import annotations

import csv
import html
import io
import re
import uuid
from datetime import date, timedelta

import pytest

from tests import support
from tests.e2e.test_pages import csrf_of, post_form, sign_in
from tests.support import poll


@pytest.fixture(scope="module")
def scene(gateway):
    """A published proposal, its author's comment reported by two residents, and Idrija's staff."""
    staff = support.staff_of(gateway)
    author = support.register(gateway)
    pid = support.published_for_voting(support.register(gateway), staff, title=f"Shade trees {uuid.uuid4().hex[:6]}")
    text = f"Comment to moderate {uuid.uuid4().hex[:8]}"
    comment = author.post(f"/proposals/{pid}/comments", json={"body": text, "alignment": "against"}).json()
    for reason in ("Insults a neighbour", "Off topic and rude"):
        answer = support.register(gateway).post(f"/comments/{comment['id']}/reports", json={"reason": reason})
        assert answer.status_code == 201, answer.text
    return {"staff": staff, "web": sign_in(gateway, staff.email), "author": author, "pid": pid,
            "comment": comment["id"], "text": text, "base": f"{gateway}/m/idrija/staff"}


def reported_comment(gateway, scene, author: support.Client | None = None, reports: int = 1) -> tuple[str, str]:
    """Another comment on the scene's proposal, reported `reports` times: (id, text)."""
    text = f"Another comment {uuid.uuid4().hex[:8]}"
    author = author or support.register(gateway)
    comment = author.post(f"/proposals/{scene['pid']}/comments", json={"body": text, "alignment": "for"}).json()
    for _ in range(reports):
        assert support.register(gateway).post(f"/comments/{comment['id']}/reports",
                                              json={"reason": "Spam"}).status_code == 201
    return comment["id"], text


def article(session, url: str, comment_id: str) -> str:
    """The comment's article on the list at `url`, looked for page after page (other tests add theirs)."""
    for number in range(1, 30):
        answer = session.get(f"{url}{'&' if '?' in url else '?'}page={number}&lang=en", timeout=30)
        assert answer.status_code == 200, answer.text[:500]
        start = answer.text.find(f'id="comment-{comment_id}"')
        if start >= 0:
            return answer.text[start:answer.text.index("</article>", start)]
        if 'rel="next"' not in answer.text:
            return ""
    return ""


def test_a_reported_comment_is_listed_with_its_count_and_reasons(scene):
    part = article(scene["web"], f"{scene['base']}/comments", scene["comment"])
    assert part, "the reported comment is not on the staff's list"
    assert scene["text"] in part and "2 reports" in part
    assert "Insults a neighbour" in part and "Off topic and rude" in part
    assert 'dir="auto"' in part
    assert support.user_id(scene["author"]) in part  # the author's account, for blocking
    assert f"/proposals/{scene['pid']}#comment-{scene['comment']}" in part


def test_the_dashboard_counts_the_reported_comments_waiting(scene):
    page = scene["web"].get(f"{scene['base']}?lang=en", timeout=30).text
    found = re.search(r'<strong class="count">(\d+)</strong> reported comments? waiting for review', page)
    assert found and int(found.group(1)) >= 1, page[:2000]


def test_staff_hide_a_comment_with_a_reason_and_it_leaves_the_discussion(gateway, scene):
    web, url = scene["web"], f"{scene['base']}/comments"
    comment_id, text = reported_comment(gateway, scene)
    hide = f"{url}/{comment_id}/hide"
    refused = web.post(hide, data={"csrf_token": csrf_of(web.get(url, timeout=30).text), "reason": " "}, timeout=30)
    assert refused.status_code == 422
    assert 'aria-describedby="reason-hint reason-error"' in refused.text and 'href="#reason"' in refused.text
    answer = post_form(web, f"{hide}?lang=en", f"{url}?hide={comment_id}", reason="Advertising")
    assert answer.status_code == 200 and "The comment is hidden from the discussion" in answer.text
    assert not article(web, url, comment_id), "a hidden comment still waits"
    hidden = article(web, f"{url}?status=hidden", comment_id)
    assert text in hidden and "Advertising" in hidden and "Hidden" in hidden
    thread = support.Client(gateway).get(f"/proposals/{scene['pid']}/comments").json()["comments"]
    shown = next(c for c in thread if c["id"] == comment_id)
    assert shown["status"] == "hidden" and shown["body"] is None
    assert text not in web.get(f"{gateway}/m/idrija/proposals/{scene['pid']}", timeout=30).text
    logged = poll(lambda: article_rows(web, f"{scene['base']}/audit?subject={comment_id}"), 60,
                  "the hide in the audit log")
    assert "Comment hidden" in logged[0] and "Advertising" in logged[0]


def test_staff_keep_a_comment_and_a_new_report_brings_it_back(gateway, scene):
    web, url = scene["web"], f"{scene['base']}/comments"
    comment_id, text = reported_comment(gateway, scene)
    answer = post_form(web, f"{url}/{comment_id}/dismiss?lang=en", url)
    assert answer.status_code == 200 and "its reports no longer wait" in answer.text
    assert not article(web, url, comment_id)
    assert text in article(web, f"{url}?status=dismissed", comment_id)
    assert support.register(gateway).post(f"/comments/{comment_id}/reports", json={"reason": "Still spam"}).ok
    assert "2 reports" in article(web, url, comment_id)


def article_rows(session, url: str) -> list[str]:
    """The audit table's body rows (as HTML)."""
    page = session.get(f"{url}&lang=en" if "?" in url else f"{url}?lang=en", timeout=30).text
    body = page[page.find("<tbody>"):page.find("</tbody>")] if "<tbody>" in page else ""
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_block_then_unblock_with_confirmations_and_a_blocked_resident_cannot_comment(gateway, scene):
    web, base = scene["web"], scene["base"]
    author = support.register(gateway)
    comment_id, _text = reported_comment(gateway, scene, author)
    account = support.user_id(author)
    part = article(web, f"{base}/comments", comment_id)
    link = re.search(r'href="([^"]*/staff/blocks/new\?user_id=[^"]+)"', part)
    assert link and account in link.group(1), part
    form = web.get(f"{gateway}{html.unescape(link.group(1))}&lang=en", timeout=30).text
    assert f'value="{account}"' in form  # the form comes filled in with the author's account
    confirm = web.post(f"{base}/blocks/new?lang=en", data={"csrf_token": csrf_of(form), "user_id": account,
                                                            "reason": "Repeated insults"}, timeout=30)
    assert confirm.status_code == 200 and "Block this account?" in confirm.text
    assert account not in [b["user_id"] for b in scene["staff"].get("/moderation/blocks").json()]
    done = web.post(f"{base}/blocks/new?lang=en", data={"csrf_token": csrf_of(confirm.text), "user_id": account,
                                                         "reason": "Repeated insults", "confirmed": "yes"}, timeout=30)
    assert done.status_code == 200 and f"The account {account} is blocked" in done.text
    assert "Repeated insults" in done.text
    refused = poll(lambda: (lambda a: a.json() if a.status_code == 403 else None)(author.post(
        f"/proposals/{scene['pid']}/comments", json={"body": "Still here.", "alignment": "for"})), 60,
        "the voting service to learn of the block")
    assert refused["code"] == "blocked"
    resident_web = sign_in(gateway, author.email)
    detail = f"{gateway}/m/idrija/proposals/{scene['pid']}"
    shown = post_form(resident_web, f"{detail}/comments?lang=en", detail, body="Let me in.", alignment="for")
    assert "Your account is blocked from taking part in this municipality" in shown.text

    ask = web.get(f"{base}/blocks/{account}/unblock?lang=en", timeout=30)
    assert ask.status_code == 200 and "Unblock this account?" in ask.text and "Repeated insults" in ask.text
    assert account in [b["user_id"] for b in scene["staff"].get("/moderation/blocks").json()]
    lifted = web.post(f"{base}/blocks/{account}/unblock?lang=en", data={"csrf_token": csrf_of(ask.text)}, timeout=30)
    assert lifted.status_code == 200 and "The block on the account" in lifted.text
    assert account not in [b["user_id"] for b in scene["staff"].get("/moderation/blocks").json()]
    poll(lambda: author.post(f"/proposals/{scene['pid']}/comments",
                             json={"body": "Back again.", "alignment": "for"}).status_code == 201, 60,
         "the unblocked resident to comment again")


def test_the_audit_log_filters_and_its_csv_match_the_page(gateway, scene):
    web, base, staff = scene["web"], scene["base"], scene["staff"]
    account = f"walk{uuid.uuid4().hex[:12]}"
    for step in (lambda: staff.put(f"/moderation/blocks/{account}", json={"reason": "Audit check"}),
                 lambda: staff.delete(f"/moderation/blocks/{account}")):
        assert step().status_code == 200
    me = support.user_id(staff)
    rows = article_rows(web, f"{base}/audit?subject={account}&actor_id={me}")
    assert len(rows) == 2 and "Account unblocked" in rows[0] and "Account blocked" in rows[1]
    only = article_rows(web, f"{base}/audit?subject={account}&action=block")
    assert len(only) == 1 and "Audit check" in only[0]
    today, tomorrow = date.today(), date.today() + timedelta(days=1)
    assert len(article_rows(web, f"{base}/audit?subject={account}&from={today - timedelta(days=1)}&to={tomorrow}")) == 2
    later = web.get(f"{base}/audit?subject={account}&from={tomorrow + timedelta(days=1)}&lang=en", timeout=30)
    assert "No decision matches" in later.text
    wrong = web.get(f"{base}/audit?from={tomorrow}&to={today}&lang=en", timeout=30)
    assert wrong.status_code == 422 and 'href="#to"' in wrong.text and 'id="to-error"' in wrong.text

    page = web.get(f"{base}/audit?subject={account}&lang=en", timeout=30).text
    link = html.unescape(re.search(r'href="([^"]*/staff/audit\.csv[^"]*)"', page).group(1))
    assert f"subject={account}" in link
    download = web.get(f"{gateway}{link}", timeout=30)
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and re.search(r'filename="moderation-audit-idrija-[\d-]+\.csv"',
                                                                disposition)
    table = list(csv.reader(io.StringIO(download.content.decode("utf-8"))))
    assert table[0] == ["at", "action", "subject", "actor_role", "actor_id", "from_status", "to_status", "reason", "id"]
    assert [(r[1], r[2], r[4]) for r in table[1:]] == [("block", account, me), ("unblock", account, me)]
    assert table[1][7] == "Audit check"
    assert len(table) - 1 == len(article_rows(web, f"{base}/audit?subject={account}"))
