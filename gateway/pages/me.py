"""Pages of one's own: the inbox at /me (read and unread items, marking one read, only the unread
ones), and the header's link to it with the number of unread items.

National pages (in render.NATIONAL_PAGES, not under /m/<code>/): the inbox is the person's own
wherever its items come from, as its operation is personal (no municipality in its path), and
institutions' accounts belong to no municipality at all."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch, try_fetch
from gateway.pages.labels import refusal
from gateway.pages.render import render
from gateway.pages.session import current_caller, current_language, safe_next, sign_in_required, signed_in
from gateway.routes import BY_NAME

PER_PAGE = 20


def has_inbox() -> bool:
    """Whether the visitor's role has an inbox (the `inbox` row: residents, staff, institutions)."""
    return BY_NAME["inbox"].access.allows(current_caller().role)


def inbox_link() -> dict | None:
    """The header's link to the inbox, with the unread count when notifications answers (the only
    call a page makes for the header: one count)."""
    if not signed_in():
        return None
    if not has_inbox():  # operators: their own account's settings instead
        return {"href": url_for("pages.account_settings"), "text": _("My account")}
    answer = try_fetch("inbox", params={"per_page": 1, "unread": "true", "lang": current_language()})
    unread = answer.json().get("unread") if answer is not None and answer.status_code == 200 else None
    text = _("My inbox") if unread is None else ngettext(
        "My inbox (%(num)d unread)", "My inbox (%(num)d unread)", unread)
    return {"href": url_for("pages.inbox"), "text": text}


@bp.context_processor
def me_context():
    return {"inbox_link": inbox_link}


def _page(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 10000)
    except ValueError:
        return 1


@bp.get("/me")
@sign_in_required
def inbox():
    """The signed-in person's inbox, newest first; ?show=unread for the unread items only."""
    unread_only = request.args.get("show") == "unread"
    page = _page(request.args.get("page"))
    found = {"items": [], "total": 0, "unread": 0}
    if has_inbox():
        answer = fetch("inbox", params={"page": page, "per_page": PER_PAGE, "lang": current_language(),
                                        "unread": "true" if unread_only else "false"})
        if answer.status_code == 200:
            found = answer.json()
    pages = max(1, -(-found["total"] // PER_PAGE))

    def page_url(number: int) -> str:
        return url_for("pages.inbox", page=number, **({"show": "unread"} if unread_only else {}))

    return render("me_inbox.html", items=found["items"], total=found["total"], unread=found["unread"],
                  unread_only=unread_only, page=page, pages=pages, page_url=page_url, has_inbox=has_inbox(),
                  here=request.full_path.rstrip("?"))


@bp.post("/me/inbox/<item_id>/read")
@sign_in_required
def mark_read(item_id):
    """Mark one item read, then back to the page of the inbox the button was on."""
    answer = fetch("mark_inbox_item_read", item_id=checked_id(item_id))
    if answer.status_code == 200:
        flash(_("The message is marked as read."), "success")
    else:
        flash(refusal(answer, on_404=_("This message is not in your inbox.")), "error")
    target = request.form.get("next")
    return redirect(safe_next(target) if target else url_for("pages.inbox"))
