"""Bulk decisions of the moderation desk: the items ticked on the queue and one decision (approve at
each theme's default competence, reject or hide with a reason) are previewed item by item, confirmed,
carried out by `moderate_in_bulk`, and reported item by item (done, or refused and why)."""
from __future__ import annotations

from flask import redirect, request
from flask_babel import gettext as _

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import label
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_moderation_common import (
    BULK_ACTIONS,
    REASON_LABELS,
    chosen_filters,
    desk_url,
    reason_options,
    reasons,
    status_label,
)
from gateway.pages.staff_moderation_queue import page_number, queue_page

ACTIONS = ("approve", "reject", "hide")
SOURCE = {"approve": "pending", "reject": "pending", "hide": "published"}  # the status each action acts on
MAX_ITEMS = 100  # moderate_in_bulk's limit


def _choice(source) -> dict:
    ids = [checked_id(pid) for pid in dict.fromkeys(source.getlist("ids"))][:MAX_ITEMS]
    return {"ids": ids, "action": source.get("action") or "", "reason_code": source.get("reason_code") or "",
            "reason": (source.get("reason") or "").strip()[:2000]}


def _errors(choice: dict, allowed: tuple[str, ...]) -> dict[str, list[str]]:
    errors = {}
    if not choice["ids"]:
        errors["ids"] = [_("Select at least one proposal.")]
    if choice["action"] not in allowed:
        errors["action"] = [_("Choose what to do with the selected proposals.")]
    elif choice["action"] != "approve" and not (choice["reason_code"] or choice["reason"]):
        errors["reason_code"] = [_("Choose a reason from the library or write your own.")]
    if choice["reason_code"] and choice["reason_code"] not in REASON_LABELS:
        errors["reason_code"] = [_("Choose one of the offered options.")]
    return errors


def _items(ids: list[str]) -> list[dict]:
    """Each chosen proposal as it is now (None for one that cannot be found)."""
    found = []
    for pid in ids:
        answer = fetch("get_proposal", proposal_id=pid)
        found.append(answer.json() if answer.status_code == 200 else {"id": pid, "title": pid, "status": None})
    return found


def _library_reason(choice: dict) -> str:
    """The library's text of the chosen reason (the page shows the staff's own words after it, as theirs)."""
    return dict(reason_options(reasons())).get(choice["reason_code"], "")


def _back_url(filters: dict, choice: dict, page: int) -> str:
    """The queue with the same filters, ticks and choice, to change them."""
    return desk_url("pages.staff_moderation", filters, page=page if page > 1 else None, tick=choice["ids"],
                    action=choice["action"] or None, reason_code=choice["reason_code"] or None,
                    reason=choice["reason"] or None)


@bp.get("/m/<municipality>/staff/moderation/bulk")
@staff_only
def staff_moderation_bulk_preview():
    """What will happen to each ticked item; nothing changes until it is confirmed."""
    filters, page, choice = chosen_filters(), page_number(), _choice(request.args)
    errors = _errors(choice, BULK_ACTIONS.get(filters["status"], ACTIONS))
    if errors:
        return queue_page(filters, page, ticked=choice["ids"], bulk=choice, errors=errors, status=422)
    items = _items(choice["ids"])
    plan = []
    for item in items:
        ready = item.get("status") == SOURCE[choice["action"]]
        plan.append({**item, "ready": ready, "competence": item.get("default_competence")})
    return render("staff_moderation_bulk.html", filters=filters, choice=choice, plan=plan,
                  ready=sum(p["ready"] for p in plan), reason_library=_library_reason(choice),
                  status_label=status_label, back_url=_back_url(filters, choice, page), page=page)


@bp.post("/m/<municipality>/staff/moderation/bulk")
@staff_only
def staff_moderation_bulk():
    filters, choice = chosen_filters(request.form), _choice(request.form)
    errors = _errors(choice, ACTIONS)
    if errors:
        return queue_page(filters, 1, ticked=choice["ids"], bulk=choice, errors=errors, status=422)
    answer = fetch("moderate_in_bulk", json={
        "action": choice["action"], "ids": choice["ids"], "reason_code": choice["reason_code"] or None,
        "reason": choice["reason"] or None})
    if answer.status_code != 200:
        return queue_page(filters, 1, ticked=choice["ids"], bulk=choice, status=answer.status_code,
                          errors={"_form": [_("The decision could not be carried out. Nothing was changed.")]})
    done = [r["id"] for r in answer.json()["results"] if r["ok"]]
    refused = [f"{r['id']}~{r.get('code') or 'invalid'}" for r in answer.json()["results"] if not r["ok"]]
    return redirect(desk_url("pages.staff_moderation_bulk_results", filters, action=choice["action"],
                             done=done, refused=refused))


def _why(code: str, item: dict) -> str:
    if code in ("wrong_state", "conflict"):
        return _("It is no longer in a state for this decision (now: %(status)s).",
                 status=status_label(item.get("status")))
    if code == "not_found":
        return _("It could not be found.")
    if code == "forbidden":
        return _("You are not allowed to do this.")
    return _("The decision was not valid for it.")


@bp.get("/m/<municipality>/staff/moderation/bulk/results")
@staff_only
def staff_moderation_bulk_results():
    """The outcome of a confirmed bulk decision, item by item."""
    filters = chosen_filters()
    action = request.args.get("action") if request.args.get("action") in ACTIONS else "approve"
    done = [checked_id(pid) for pid in request.args.getlist("done")][:MAX_ITEMS]
    refused = []
    for entry in request.args.getlist("refused")[:MAX_ITEMS]:
        pid, _sep, code = entry.partition("~")
        refused.append((checked_id(pid), code[:32]))
    items = {item["id"]: item for item in _items(done + [pid for pid, _code in refused])}
    rows = [{**items[pid], "ok": True, "outcome": _outcome(action, items[pid])} for pid in done]
    rows += [{**items[pid], "ok": False, "outcome": _why(code, items[pid])} for pid, code in refused]
    return render("staff_moderation_bulk_results.html", filters=filters, action=action, rows=rows,
                  done=len(done), refused=len(refused), status_label=status_label,
                  queue_url=desk_url("pages.staff_moderation", filters))


def _outcome(action: str, item: dict) -> str:
    if action == "approve":
        return _("Published (competence: %(competence)s).", competence=label("competence", item.get("competence")))
    return _("Rejected.") if action == "reject" else _("Hidden.")
