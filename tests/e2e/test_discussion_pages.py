"""The discussion on a proposal's page, driven as a browser without JavaScript drives it: residents
support the proposal and withdraw, follow and stop following, argue for and against, reply, endorse,
edit and delete their own comments and report others'; staff hide a comment with a reason. Every
action is a form (with its CSRF token) that redirects back to the page; field errors come back 422
beside the fields."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests import support
from tests.e2e.test_pages import browser, post_form, sign_in


@pytest.fixture(scope="module")
def published(gateway):
    """A published proposal (voting not open yet) that opens by itself at 3 supports, and Idrija's staff."""
    staff = support.staff_of(gateway)
    pid = support.published_for_voting(support.register(gateway), staff, title="Benches along the Idrijca")
    rules = staff.put(f"/proposals/{pid}/voting/rules", json={"support_threshold": 3})
    assert rules.status_code == 200, rules.text
    return {"pid": pid, "staff": staff, "detail": f"{gateway}/m/idrija/proposals/{pid}"}


@pytest.fixture(scope="module")
def residents(gateway):
    """Two residents on the register, signed in on the web (English)."""
    return [sign_in(gateway, support.register(gateway, language="en", eligible=True).email) for _ in range(2)]


def page(session, url: str) -> str:
    answer = session.get(url, timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return answer.text


def act(session, published: dict, path: str, **fields):
    """POST one of the page's forms; the answer after the redirect back to the page."""
    return post_form(session, f"{published['detail']}{path}", published["detail"], **fields)


def post_comment(session, published: dict, body: str, alignment: str, **fields) -> str:
    """Post a comment through the page's form; its id, from the anchor the redirect goes to."""
    answer = act(session, published, "/comments", body=body, alignment=alignment, **fields)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.history and answer.history[0].status_code == 302
    found = re.search(r"#comment-([0-9a-f]+)$", answer.history[0].headers["Location"])
    assert found, answer.history[0].headers["Location"]
    assert f'id="comment-{found.group(1)}"' in answer.text
    return found.group(1)


def comment_part(html: str, comment_id: str) -> str:
    """The page from one comment to the next one (its own article, without its replies' text)."""
    start = html.index(f'id="comment-{comment_id}"')
    following = html.find('<li class="comment ', start)
    return html[start:following if following > 0 else len(html)]


class Nesting(HTMLParser):
    """Which comment (li id) each comment is nested in."""

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.parent: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            ident = dict(attrs).get("id") or ""
            ident = ident if ident.startswith("comment-") else None
            if ident:
                self.parent[ident] = next((i for i in reversed(self.stack) if i), None)
            self.stack.append(ident)

    def handle_endtag(self, tag):
        if tag == "li" and self.stack:
            self.stack.pop()


def parent_of(html: str, comment_id: str) -> str | None:
    nesting = Nesting()
    nesting.feed(html)
    return nesting.parent[f"comment-{comment_id}"]


def test_a_resident_supports_the_proposal_and_withdraws_the_support(published, residents):
    resident = residents[0]
    before = page(resident, published["detail"])
    assert "0 of 3 supports" in before and '<progress class="support-progress" max="3" value="0"' in before
    assert "It is not a vote" in before  # supports are public endorsements, not ballots

    supported = act(resident, published, "/support", action="support")
    assert supported.status_code == 200 and "your support is counted" in supported.text
    assert "1 of 3 supports" in supported.text and "You support this proposal." in supported.text
    assert 'name="action" value="withdraw"' in supported.text
    assert 'name="action" value="support"' not in supported.text  # known now: only the withdrawal is offered
    assert published["staff"].get(f"/proposals/{published['pid']}/results").json()["supports"] == 1

    withdrawn = act(resident, published, "/support", action="withdraw")
    assert withdrawn.status_code == 200 and "Your support was withdrawn." in withdrawn.text
    assert "0 of 3 supports" in withdrawn.text and 'name="action" value="support"' in withdrawn.text
    assert published["staff"].get(f"/proposals/{published['pid']}/results").json()["supports"] == 0


def test_supporting_needs_a_place_on_the_register_and_visitors_are_asked_to_sign_in(gateway, published):
    unverified = sign_in(gateway, support.register(gateway, language="en").email)
    html = page(unverified, published["detail"])
    assert "/m/idrija/eligibility?next=" in html and 'value="support"' not in html
    anonymous = page(browser("en"), published["detail"])
    assert "Sign in to support this proposal" in anonymous and "Sign in to take part in the discussion" in anonymous
    assert 'name="body"' not in anonymous


def test_a_resident_follows_the_proposal_and_stops_following(published, residents):
    import pymongo

    from services.settings import get_settings

    resident = residents[1]
    html = page(resident, published["detail"])
    assert "we send you an e-mail when its vote closes" in html and "when the institution replies" in html

    followed = act(resident, published, "/follow", action="follow")
    assert followed.status_code == 200 and "You follow this proposal now." in followed.text
    assert "Stop following" in followed.text and 'value="follow"' not in followed.text
    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:
        follows = client[settings.database("notifications")]["follows"]
        assert follows.count_documents({"proposal_id": published["pid"], "reason": "followed"}) == 1

        stopped = act(resident, published, "/follow", action="unfollow")
        assert stopped.status_code == 200 and "You no longer follow this proposal." in stopped.text
        assert 'value="follow"' in stopped.text
        assert follows.count_documents({"proposal_id": published["pid"], "reason": "followed"}) == 0


def test_residents_argue_for_and_against_reply_and_endorse(published, residents):
    ana, oleh = residents
    pro = post_comment(ana, published, "Older residents need to rest on the way to the market.", "for")
    con = post_comment(oleh, published, "The riverside path floods\n\nevery spring.", "against")
    html = page(ana, published["detail"])
    assert "1 argument for" in html and "1 argument against" in html and "0 neutral comments" in html
    strongest = html[html.index("The strongest arguments"):html.index('id="thread-title"')]
    assert f'href="#comment-{pro}"' in strongest and f'href="#comment-{con}"' in strongest
    part = comment_part(html, con)
    assert '<div class="comment-body" dir="auto">' in part and "<p>The riverside path floods</p>" in part
    assert "Against</span>" in part and "<time datetime=" in part and "Participant" in part
    assert "You</strong>" in comment_part(html, pro)

    # The reply form opens server-side from a plain link, under the comment replied to.
    reply_link = f"/m/idrija/proposals/{published['pid']}?reply_to={pro}#comment-{pro}"
    assert reply_link in page(oleh, published["detail"])
    opened = page(oleh, f"{published['detail']}?reply_to={pro}")
    assert f'name="parent_id" value="{pro}"' in comment_part(opened, pro) and 'id="reply-body"' in opened
    reply = post_comment(oleh, published, "Benches could stand on the higher bank.", "neutral", parent_id=pro)
    html = page(oleh, published["detail"])
    assert parent_of(html, reply) == f"comment-{pro}" and parent_of(html, pro) is None
    assert "1 neutral comment" in html

    # Endorse another's argument, then withdraw; one's own comment offers no endorsement.
    assert 'value="endorse"' not in comment_part(page(ana, published["detail"]), pro)
    endorsed = act(oleh, published, f"/comments/{pro}/endorsement", action="endorse")
    assert endorsed.status_code == 200 and "You endorse this comment." in endorsed.text
    part = comment_part(endorsed.text, pro)
    assert "1 endorsement<" in part and "Withdraw my endorsement" in part
    withdrawn = act(oleh, published, f"/comments/{pro}/endorsement", action="withdraw")
    assert "Your endorsement was withdrawn." in withdrawn.text
    assert "0 endorsements<" in comment_part(withdrawn.text, pro)


def test_the_author_edits_and_deletes_their_comment_within_the_edit_window(published, residents):
    ana, oleh = residents
    mine = post_comment(ana, published, "Wooden benches, please.", "for")
    assert f"?edit={mine}" in comment_part(page(ana, published["detail"]), mine)
    assert f"?edit={mine}" not in comment_part(page(oleh, published["detail"]), mine)  # only the author

    form = page(ana, f"{published['detail']}?edit={mine}")
    assert 'id="edit-body"' in form and "Wooden benches, please.</textarea>" in form
    assert "You can change your comment until" in form
    edited = act(ana, published, f"/comments/{mine}/edit", body="Wooden benches with backrests, please.",
                 alignment="for")
    assert edited.status_code == 200 and "Your comment was changed." in edited.text
    part = comment_part(edited.text, mine)
    assert "Wooden benches with backrests, please." in part and "(edited)" in part

    confirm = page(ana, f"{published['detail']}?delete={mine}")
    assert "Delete your comment?" in confirm and "Delete my comment" in confirm
    deleted = act(ana, published, f"/comments/{mine}/delete")
    assert deleted.status_code == 200 and "Your comment was deleted." in deleted.text
    part = comment_part(deleted.text, mine)
    assert "This comment was deleted by its author." in part and "backrests" not in part


def test_an_empty_comment_comes_back_with_the_error_beside_the_field(published, residents):
    answer = act(residents[0], published, "/comments", body="   ", alignment="for")
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text and 'href="#comment-body"' in answer.text  # the error summary
    assert 'id="comment-body-error"' in answer.text and "Write your comment." in answer.text
    assert 'aria-describedby="comment-body-hint comment-body-error" aria-invalid="true"' in answer.text
    assert 'id="comment-alignment" name="alignment" value="for" required checked' in answer.text  # kept
    no_stance = act(residents[0], published, "/comments", body="Good idea.")
    assert no_stance.status_code == 422 and 'id="comment-alignment-error"' in no_stance.text
    assert "Good idea.</textarea>" in no_stance.text


def test_a_resident_reports_a_comment_with_a_reason_and_staff_see_the_count(gateway, published, residents):
    ana, oleh = residents
    rude = post_comment(ana, published, "Only fools would want benches.", "against")
    assert f"?report={rude}" in comment_part(page(oleh, published["detail"]), rude)
    form = page(oleh, f"{published['detail']}?report={rude}")
    assert 'id="report-reason"' in form and 'name="reason"' in form

    empty = act(oleh, published, f"/comments/{rude}/report", reason="")
    assert empty.status_code == 422 and 'id="report-reason-error"' in empty.text
    reported = act(oleh, published, f"/comments/{rude}/report", reason="It insults people.")
    assert reported.status_code == 200 and "your report was recorded" in reported.text
    assert "Reported 1 time" not in reported.text  # only staff see the count
    found = [c for c in published["staff"].get(f"/proposals/{published['pid']}/comments").json()["comments"]
             if c["id"] == rude]
    assert found and found[0]["reports"] == 1
    again = act(oleh, published, f"/comments/{rude}/report", reason="Still rude.")
    assert "You have already reported this comment." in again.text
    staff = sign_in(gateway, published["staff"].email)
    assert "Reported 1 time<" in comment_part(page(staff, f"{published['detail']}?lang=en"), rude)


def test_staff_hide_a_comment_with_a_reason_shown_in_its_place(gateway, published, residents):
    ana, oleh = residents
    spam = post_comment(ana, published, "Buy cheap watches at example.com", "neutral")
    assert f"?hide={spam}" not in page(oleh, published["detail"])  # residents do not hide
    staff = sign_in(gateway, published["staff"].email)
    assert f"?hide={spam}" in comment_part(page(staff, f"{published['detail']}?lang=en"), spam)
    form = page(staff, f"{published['detail']}?hide={spam}")
    assert 'id="hide-reason"' in form

    hidden = act(staff, published, f"/comments/{spam}/hide", reason="Advertising.")
    assert hidden.status_code == 200 and "The comment is hidden." in hidden.text
    part = comment_part(page(oleh, published["detail"]), spam)
    assert "hidden by the municipality's moderators" in part and "Advertising." in part
    assert "cheap watches" not in part and "?report=" not in part
