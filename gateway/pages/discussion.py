"""The discussion on a proposal's page: supports, following, the thread of arguments (for, against,
neutral) with replies, endorsements, reports and staff hiding. Each action is a form that redirects
back to the page with a flashed message; field errors re-render the page (`pages.proposal`, looked up
by endpoint: `proposals` imports this module) with 422. A form under a comment (reply, edit, delete,
report, hide) opens server-side from ?<action>=<comment id>."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages.blueprint import N_, bp
from gateway.pages.calls import checked_id, fetch, try_fetch
from gateway.pages.discussion_thread import opened_form, page_asked, thread
from gateway.pages.labels import in_order, problem_errors, problem_of, refusal
from gateway.pages.session import sign_in_required
from gateway.pages.voting import eligibility_of_visitor, wait_message
from services.settings import get_settings

STANCE_CHOICES = {"for": N_("For the proposal"), "against": N_("Against the proposal"),
                  "neutral": N_("Neutral: a question, an idea or a remark")}
EMPTY = {"body": N_("Write your comment."),
         "alignment": N_("Choose whether you are for or against the proposal, or neutral."),
         "reason": N_("Give the reason.")}
KNOWN = "discussion"  # session: what the visitor last did here (support, follow, endorsements)
REMEMBERED = 40       # entries a kind keeps (the session is a cookie: keep it small)


# --- what the visitor last did: the services do not say whether one supports, follows or endorses ----

def _known(kind: str, ident: str) -> bool | None:
    """True or False after the visitor's last action on it in this session; None when not known."""
    return next((bool(on) for key, on in (session.get(KNOWN) or {}).get(kind, []) if key == ident[:12]), None)


def _remember(kind: str, ident: str, on: bool) -> None:
    state = dict(session.get(KNOWN) or {})
    kept = [pair for pair in state.get(kind, []) if pair[0] != ident[:12]]
    state[kind] = (kept + [[ident[:12], int(on)]])[-REMEMBERED:]
    session[KNOWN] = state


# --- the page's part ---------------------------------------------------------------------------

def context_for(proposal: dict) -> dict:
    """What the proposal page's discussion part (_discussion.html) needs."""
    state = g.get("discussion_state") or {}
    opened = state.get("open") or opened_form()
    answer = try_fetch("list_comments", proposal_id=proposal["id"], params=page_asked(opened))
    found = answer.json() if answer is not None and answer.status_code == 200 else None
    errors = state.get("errors") or {}
    context = {"discussion": thread(found, proposal, opened, _known) if found else None,
               "discussion_unavailable": answer is None,
               "discussion_errors": errors, "discussion_typed": state.get("form") or {},
               "discussion_prefix": state.get("prefix"),
               "stances": [(code, _(text)) for code, text in STANCE_CHOICES.items()],
               "supported": _known("support", proposal["id"]), "following": _known("follow", proposal["id"]),
               "visitor_eligibility": eligibility_of_visitor}  # called only where supports are collected
    if errors:
        context["errors"] = errors  # the page's error summary, linking to the fields
    return context


# --- answers to the forms ------------------------------------------------------------------------

def _back(proposal_id: str, anchor: str | None = None):
    """The proposal's page; at a comment (`comment-<id>`), the page of the thread that holds it."""
    around = {"comment": anchor.removeprefix("comment-")} if anchor and anchor.startswith("comment-") else {}
    return redirect(url_for("pages.proposal", proposal_id=proposal_id, _anchor=anchor, **around))


def _refused(answer, proposal_id: str, **overrides):
    """The service's refusal as a flashed error, at the top of the page where it shows."""
    flash(wait_message(answer) if answer.status_code == 429 else refusal(answer, **overrides), "error")
    return _back(proposal_id)


def _again(answer, proposal_id: str, prefix: str, form: dict, opened: tuple[str, str] | None = None):
    """The proposal's page again (422) with the service's field errors beside the form's fields; a
    refusal without field errors is flashed instead."""
    errors = {field: messages for field, messages in in_order(problem_errors(answer), tuple(form)).items()
              if field in form}
    if answer.status_code != 422 or not errors:
        return None
    shown = {f"{prefix}-{field}": [_(EMPTY[field])] if field in EMPTY and not form.get(field) else messages
             for field, messages in errors.items()}
    g.discussion_state = {"errors": shown, "form": form, "prefix": prefix, "open": opened}
    page, _status = current_app.view_functions["pages.proposal"](proposal_id=proposal_id)
    return page, 422


def _fields(*names: str) -> dict:
    return {name: (request.form.get(name) or "").strip() for name in names}


def _gone() -> str:
    return _("This comment is no longer in the discussion.")


def _comment_back(proposal_id: str, comment_id: str):
    return _back(proposal_id, f"comment-{checked_id(comment_id)}")


@bp.get("/m/<municipality>/proposals/<proposal_id>/comments")
@bp.get("/m/<municipality>/proposals/<proposal_id>/comments/<comment_id>/<action>")
def discussion_back(proposal_id, comment_id=None, action=None):
    """A form's address opened as a page (the language links of a 422 lead there): back to the proposal."""
    return _back(checked_id(proposal_id), f"comment-{checked_id(comment_id)}" if comment_id else "discussion")


@bp.post("/m/<municipality>/proposals/<proposal_id>/support")
@sign_in_required
def discussion_support(proposal_id):
    proposal_id = checked_id(proposal_id)
    on = request.form.get("action") != "withdraw"
    answer = fetch("support_proposal" if on else "withdraw_support", proposal_id=proposal_id)
    if answer.status_code == 200:
        result = answer.json()
        _remember("support", proposal_id, on)
        if on and result.get("status") == "open":
            flash(ngettext("Thank you for your support. The proposal reached %(num)d support, so voting is "
                           "now open.", "Thank you for your support. The proposal reached %(num)d supports, "
                           "so voting is now open.", result.get("threshold") or 0), "success")
            return _back(proposal_id, "voting")
        flash(_("Thank you: your support is counted.") if on else _("Your support was withdrawn."), "success")
        return _back(proposal_id, "support")
    if answer.status_code == 403 and problem_of(answer).get("code") == "not_verified":
        flash(_("Before you support a proposal, confirm that you are on the municipality's register of "
                "eligible residents."), "error")
        return redirect(url_for("pages.eligibility", next=url_for("pages.proposal", proposal_id=proposal_id)))
    return _refused(answer, proposal_id, on_403=_("Only residents on the municipality's register of eligible "
                                                  "residents can support proposals."),
                    on_409=_("Supports are collected only until voting opens."))


@bp.post("/m/<municipality>/proposals/<proposal_id>/follow")
@sign_in_required
def discussion_follow(proposal_id):
    proposal_id = checked_id(proposal_id)
    on = request.form.get("action") != "unfollow"
    answer = fetch("follow_proposal" if on else "unfollow_proposal", proposal_id=proposal_id)
    if answer.status_code != 200:
        return _refused(answer, proposal_id)
    _remember("follow", proposal_id, on)
    flash(_("You follow this proposal now. We will write to you when there is news.") if on
          else _("You no longer follow this proposal."), "success")
    return _back(proposal_id, "follow")


@bp.post("/m/<municipality>/proposals/<proposal_id>/comments")
@sign_in_required
def discussion_post(proposal_id):
    proposal_id = checked_id(proposal_id)
    form = _fields("alignment", "body")
    parent = (request.form.get("parent_id") or "").strip()
    parent = checked_id(parent) if parent else None
    answer = fetch("post_comment", proposal_id=proposal_id,
                   json={**{k: v for k, v in form.items() if v}, **({"parent_id": parent} if parent else {})})
    if answer.status_code == 201:
        flash(_("Thank you: your reply was posted.") if parent else _("Thank you: your comment was posted."),
              "success")
        return _back(proposal_id, f"comment-{answer.json().get('id')}")
    again = _again(answer, proposal_id, "reply" if parent else "comment", form,
                   ("reply_to", parent) if parent else None)
    return again or _refused(answer, proposal_id,
                             on_403=_("Only residents and municipal staff take part in the discussion."),
                             on_404=_("The comment you replied to is not on this proposal."),
                             on_422=_("Replies nest at most six deep: reply to a comment higher up."),
                             on_409=_("The discussion ended when voting closed."))


@bp.post("/m/<municipality>/proposals/<proposal_id>/comments/<comment_id>/edit")
@sign_in_required
def discussion_edit(proposal_id, comment_id):
    proposal_id, comment_id = checked_id(proposal_id), checked_id(comment_id)
    form = _fields("alignment", "body")  # an emptied text is sent: the service says it is too short
    answer = fetch("edit_comment", comment_id=comment_id, json={k: v for k, v in form.items() if v or k == "body"})
    if answer.status_code == 200:
        flash(_("Your comment was changed."), "success")
        return _comment_back(proposal_id, comment_id)
    minutes = get_settings().comment_edit_minutes
    return _again(answer, proposal_id, "edit", form, ("edit", comment_id)) or _refused(
        answer, proposal_id, on_403=_("Only its author can change a comment."), on_404=_gone(),
        on_409=_("A comment can be changed only in the first %(num)d minutes after it was posted.", num=minutes))


@bp.post("/m/<municipality>/proposals/<proposal_id>/comments/<comment_id>/delete")
@sign_in_required
def discussion_delete(proposal_id, comment_id):
    proposal_id = checked_id(proposal_id)
    answer = fetch("delete_comment", comment_id=checked_id(comment_id))
    if answer.status_code != 200:
        return _refused(answer, proposal_id, on_403=_("Only its author can delete a comment."), on_404=_gone(),
                        on_409=_("This comment is already deleted."))
    flash(_("Your comment was deleted. Replies to it stay in the discussion."), "success")
    return _comment_back(proposal_id, comment_id)


@bp.post("/m/<municipality>/proposals/<proposal_id>/comments/<comment_id>/endorsement")
@sign_in_required
def discussion_endorse(proposal_id, comment_id):
    proposal_id, comment_id = checked_id(proposal_id), checked_id(comment_id)
    on = request.form.get("action") != "withdraw"
    answer = fetch("endorse_comment" if on else "withdraw_endorsement", comment_id=comment_id)
    if answer.status_code != 200:
        return _refused(answer, proposal_id, on_403=_("Only residents endorse arguments."), on_404=_gone(),
                        on_409=_("You cannot endorse your own comment, or one that is hidden or deleted."))
    _remember("endorse", comment_id, on)
    flash(_("You endorse this comment.") if on else _("Your endorsement was withdrawn."), "success")
    return _comment_back(proposal_id, comment_id)


def _with_reason(proposal_id: str, comment_id: str, action: str):
    """Report (a resident) or hide (staff) a comment, with a reason."""
    proposal_id, comment_id = checked_id(proposal_id), checked_id(comment_id)
    form = _fields("reason")
    answer = fetch(f"{action}_comment", comment_id=comment_id, json={k: v for k, v in form.items() if v})
    if answer.status_code in (200, 201):
        flash(_("Thank you: your report was recorded. Municipal staff see how often a comment was reported.")
              if action == "report"
              else _("The comment is hidden. The reason is shown in its place."), "success")
        return _comment_back(proposal_id, comment_id)
    duplicate = problem_of(answer).get("code") == "duplicate"
    return _again(answer, proposal_id, action, form, (action, comment_id)) or _refused(
        answer, proposal_id, on_403=_("You are not allowed to do this."), on_404=_gone(),
        on_409=_("You have already reported this comment.") if duplicate else
        _("This comment can no longer be reported or hidden: the page shows its current state."))


@bp.post("/m/<municipality>/proposals/<proposal_id>/comments/<comment_id>/report")
@sign_in_required
def discussion_report(proposal_id, comment_id):
    return _with_reason(proposal_id, comment_id, "report")


@bp.post("/m/<municipality>/proposals/<proposal_id>/comments/<comment_id>/hide")
@sign_in_required
def discussion_hide(proposal_id, comment_id):
    return _with_reason(proposal_id, comment_id, "hide")
