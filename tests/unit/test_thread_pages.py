"""A discussion is shown a page of root comments at a time, each with all its replies (voting.domain)."""
from __future__ import annotations

from voting import domain


def discussion(roots: int, replies_to: dict[int, int] | None = None) -> list[dict]:
    """`roots` root comments r0, r1, ... in posting order; replies_to[n]: how many replies r<n> has,
    each a reply to the one before (a chain), posted after every root."""
    rows = [{"id": f"r{n}", "parent_id": None} for n in range(roots)]
    for n, count in (replies_to or {}).items():
        parent = f"r{n}"
        for k in range(count):
            rows.append({"id": f"r{n}-{k}", "parent_id": parent})
            parent = f"r{n}-{k}"
    return rows


def ids(page: dict) -> list[str]:
    return [c["id"] for c in page["comments"]]


def test_a_page_holds_its_root_comments_and_every_reply_to_them_however_late_or_deep():
    rows = discussion(45, {0: 3, 21: 2})
    first = domain.thread_page(rows, 1, 20)
    assert ids(first) == [f"r{n}" for n in range(20)] + ["r0-0", "r0-1", "r0-2"]
    assert (first["page"], first["pages"], first["threads"]) == (1, 3, 45)
    second = domain.thread_page(rows, 2, 20)
    assert ids(second) == [f"r{n}" for n in range(20, 40)] + ["r21-0", "r21-1"]
    assert ids(domain.thread_page(rows, 3, 20)) == [f"r{n}" for n in range(40, 45)]


def test_every_comment_knows_the_page_of_its_thread():
    page_of = domain.thread_page(discussion(45, {21: 2}), 1, 20)["page_of"]
    assert (page_of["r0"], page_of["r20"], page_of["r21-1"], page_of["r44"]) == (1, 2, 2, 3)


def test_around_a_comment_is_the_page_that_holds_it_whatever_page_was_asked():
    rows = discussion(45, {21: 2})
    assert domain.thread_page(rows, 1, 20, around="r21-1")["page"] == 2
    assert domain.thread_page(rows, 3, 20, around="r3")["page"] == 1
    assert domain.thread_page(rows, 2, 20, around="unknown")["page"] == 2


def test_a_page_past_the_last_is_the_last_and_an_empty_discussion_has_one_empty_page():
    assert domain.thread_page(discussion(45), 9, 20)["page"] == 3
    empty = domain.thread_page([], 4, 20)
    assert (empty["comments"], empty["page"], empty["pages"], empty["threads"]) == ([], 1, 1, 0)
