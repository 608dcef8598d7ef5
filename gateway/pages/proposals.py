"""Pages of proposals: the list, one proposal (with its vote and forwarding), moderating it, and a new
proposal. Casting a ballot and the other voting pages are in `voting`."""
from __future__ import annotations

import math

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from gateway.pages import conclusion, discussion, proposal_texts
from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch, processes, themes_of, try_fetch
from gateway.pages.labels import (
    autonym,
    in_order,
    label,
    localised,
    problem_errors,
    refusal,
)
from gateway.pages.render import ERROR_TEXT, render
from gateway.pages.session import acting_caller, current_language, sign_in_required
from gateway.pages.voting import CHOICES, eligibility_of_visitor, receipt_for
from proposals.schemas import LANGUAGES as PROPOSAL_LANGUAGES
from services.i18n import DEFAULT_LANGUAGE

PER_PAGE = 10
COMPETENCES = ("municipal", "national", "shared")


def _positive_int(value, default: int = 1) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number >= 1 else default


def phase_labels() -> dict[str, str]:
    """The phases of a process (proposals.domain.PHASES, in their order), in the visitor's language."""
    return {"focus_groups": _("Focus groups"), "workshops": _("Workshops"), "deliberation": _("Deliberation"),
            "vote": _("Voting"), "adoption": _("Adoption"), "forwarding": _("Forwarding to institutions")}


def sort_labels() -> dict[str, str]:
    """The orders the proposals service lists in (proposals.schemas.common.SORTS), the default first."""
    return {"newest": _("Newest first"), "oldest": _("Oldest first"), "most_supported": _("Most supported"),
            "most_discussed": _("Most discussed")}


def theme_labeller():
    """theme_label(code): the pages' label of a theme, else the national catalogue's, else the municipality's
    own label (list_themes, asked only when such a theme is shown), else the code."""
    national = {"training": _("Training and schooling"), "intercultural": _("Intercultural dialogue"),
                "culture": _("Culture and leisure"), "family": _("Family and youth"),
                "rights": _("Political and legal rights")}
    own: dict[str, dict] | None = None

    def theme_label(code: str | None) -> str:
        nonlocal own
        known = label("theme", code)
        if known != code or not code:
            return known
        if code in national:
            return national[code]
        if own is None:
            answer = try_fetch("list_themes")
            listed = answer.json() if answer is not None and answer.status_code == 200 else []
            own = {t["code"]: t.get("labels") or {} for t in listed if not t.get("national")}
        return localised(own.get(code), code)

    return theme_label


def _text_arg(name: str, limit: int) -> str:
    """A query parameter as one line of text (runs of white space as one space), at most `limit` long."""
    return " ".join((request.args.get(name) or "").split())[:limit].strip()


MAX_PAGE = 10000  # the proposals service's largest page number


@bp.get("/m/<municipality>/")
def index():
    """The proposals: searched, filtered, sorted and paged with GET forms and links (no script)."""
    caller = acting_caller()
    page = min(_positive_int(request.args.get("page")), MAX_PAGE)
    status = "published"
    if caller.is_staff and request.args.get("status") in ("pending", "published", "rejected"):
        status = request.args["status"]
    phases, sorts, theme_label = phase_labels(), sort_labels(), theme_labeller()
    sort = request.args.get("sort") if request.args.get("sort") in sorts else "newest"
    # The visitor's search and filters, by their names in the page's address.
    chosen = {"q": _text_arg("q", 200), "process": _text_arg("process", 64), "theme": _text_arg("theme", 64),
              "phase": request.args.get("phase") if request.args.get("phase") in phases else "",
              "competence": request.args.get("competence") if request.args.get("competence") in COMPETENCES else ""}
    process_list = processes()
    answer = fetch("list_proposals", params={
        "status": status, "q": chosen["q"] or None, "process_id": chosen["process"] or None,
        "theme": chosen["theme"] or None, "phase": chosen["phase"] or None,
        "competence": chosen["competence"] or None, "sort": sort, "page": page, "per_page": PER_PAGE})
    if answer.status_code != 200:
        abort(answer.status_code if answer.status_code in ERROR_TEXT else 400)
    listing = answer.json()
    total = listing.get("total", 0)
    pages = max(1, math.ceil(total / PER_PAGE))

    def list_url(**changes) -> str:
        """This list's address with `changes` (None drops a parameter); the search, filters, status and
        sort are kept, the page only when named."""
        args = {name: value for name, value in chosen.items() if value}
        if status != "published":
            args["status"] = status
        if sort != "newest":
            args["sort"] = sort
        args.update(changes)
        return url_for("pages.index", **{name: value for name, value in args.items() if value is not None})

    titles = {p["id"]: localised(p.get("title"), p["id"]) for p in process_list}
    in_process = [p for p in process_list if p["id"] == chosen["process"]]
    shown = {  # each active filter's name and value as the visitor reads them
        "q": (_("Search"), _("“%(words)s”", words=chosen["q"])), "process": (_("Process"), titles.get(chosen["process"])),
        "theme": (_("Theme"), theme_label(chosen["theme"])), "phase": (_("Phase"), phases.get(chosen["phase"])),
        "competence": (_("Competence"), label("competence", chosen["competence"]))}
    active = [{"name": shown[key][0], "value": shown[key][1] or value, "key": key,
               "remove_url": list_url(**{key: None})} for key, value in chosen.items() if value]
    return render("index.html", proposals=listing.get("items", []), total=total, page=page, pages=pages,
                  status=status, sort=sort, chosen=chosen, active=active, theme=chosen["theme"],
                  page_url=lambda number: list_url(page=number),
                  clear_url=list_url(**{key: None for key in chosen}),
                  theme_label=theme_label, process_titles=titles,
                  process_options=list(titles.items()),
                  theme_options=[(code, theme_label(code)) for code in themes_of(in_process or process_list)],
                  phase_options=list(phases.items()),
                  competence_options=[(code, label("competence", code)) for code in COMPETENCES],
                  sort_options=list(sorts.items()))


def _detail(proposal_id: str, status: int = 200, **extra):
    """The detail page of one proposal with its vote and forwarding, as the visitor may see it."""
    answer = fetch("get_proposal", proposal_id=proposal_id)
    if answer.status_code != 200:
        abort(404 if answer.status_code in (403, 404) else answer.status_code)
    proposal = answer.json()
    caller = acting_caller()
    vote, voting_unavailable, dossiers, forwarding_unavailable, institutions = None, False, None, False, {}
    if proposal.get("status") == "published":
        results = try_fetch("vote_results", proposal_id=proposal_id)
        voting_unavailable = results is None
        if results is not None and results.status_code == 200:
            vote = results.json()
        forwarded = (vote and vote.get("status") == "closed" and vote.get("outcome") == "adopted"
                     and proposal.get("competence") in ("national", "shared"))
        if forwarded:
            found = try_fetch("forwarding_status", proposal_id=proposal_id)
            forwarding_unavailable = found is None or found.status_code != 200
            if not forwarding_unavailable:
                dossiers = found.json().get("dossiers", [])
                directory = try_fetch("list_institutions")
                if directory is not None and directory.status_code == 200:
                    institutions = {i["id"]: i.get("name") for i in directory.json()}
    default_competence = proposal.get("competence") or "national"
    if caller.is_staff and proposal.get("status") == "pending":
        for process in processes():
            if process.get("id") == proposal.get("process_id"):
                default_competence = (process.get("themes") or {}).get(proposal.get("theme"), default_competence)
    context = {"proposal": proposal, "vote": vote, "voting_unavailable": voting_unavailable,
               "dossiers": dossiers, "forwarding_unavailable": forwarding_unavailable,
               "institutions": institutions, "choices": CHOICES,
               "competence_options": [(code, label("competence", code)) for code in COMPETENCES],
               "default_competence": default_competence, "errors": {}, "form": {},
               "receipt": receipt_for(proposal_id),
               "eligibility": eligibility_of_visitor() if vote and vote.get("status") == "open" else None}
    context.update(proposal_texts.texts_for(proposal))
    if proposal.get("status") == "published":
        context.update(discussion.context_for(proposal))
        context.update(conclusion.context_for(proposal, vote))
    context.update(extra)
    return render("proposal.html", status, **context)


@bp.get("/m/<municipality>/proposals/<proposal_id>")
def proposal(proposal_id):
    return _detail(checked_id(proposal_id))


def _back(proposal_id: str, anchor: str | None = None):
    return redirect(url_for("pages.proposal", proposal_id=proposal_id, _anchor=anchor))


@bp.post("/m/<municipality>/proposals/<proposal_id>/moderation")
@sign_in_required
def moderate(proposal_id):
    proposal_id = checked_id(proposal_id)
    decision = request.form.get("decision")
    if decision == "approve":
        data = {"decision": decision, "competence": request.form.get("competence") or None,
                "justification": (request.form.get("justification") or "").strip() or None}
    elif decision == "reject":
        data = {"decision": decision, "reason": (request.form.get("reason") or "").strip() or None}
    else:
        abort(400, description=_("Choose whether to approve or reject the proposal."))
    answer = fetch("moderate_proposal", proposal_id=proposal_id, json=data)
    if answer.status_code == 200:
        if decision == "approve":
            flash(_("The proposal was approved and published (competence: %(competence)s). "
                    "Voting can be opened as soon as it appears below.",
                    competence=label("competence", data["competence"])), "success")
        else:
            flash(_("The proposal was rejected. The author will be told the reason."), "success")
        return _back(proposal_id)
    errors = problem_errors(answer)
    if answer.status_code == 422 and errors:
        return _detail(proposal_id, 422, errors=errors, form={"reason": data.get("reason") or "",
                                                               "competence": data.get("competence"),
                                                               "justification": data.get("justification") or ""})
    flash(refusal(answer, on_403=_("Only municipal staff can moderate proposals.")), "error")
    return _back(proposal_id)


PROPOSAL_FIELDS = ("process_id", "theme", "title", "summary", "body", "language")


@bp.route("/m/<municipality>/proposals/new", methods=["GET", "POST"])
@sign_in_required
def new_proposal():
    process_list = processes()
    lang = current_language()
    offered = [p["id"] for p in process_list]
    chosen = request.args.get("process_id")  # "Submit a proposal in this process" names it
    form = {"process_id": chosen if chosen in offered else (offered[0] if offered else ""), "theme": "", "title": "",
            "summary": "", "body": "", "language": lang if lang in PROPOSAL_LANGUAGES else DEFAULT_LANGUAGE}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        form.update({name: (request.form.get(name) or "").strip() for name in PROPOSAL_FIELDS})
        # An empty field is a missing one ("required"), not a too-short one.
        answer = fetch("submit_proposal", json={k: v for k, v in form.items() if v})
        if answer.status_code == 201:
            created = answer.json()
            flash(_("Thank you! Your proposal was submitted. Municipal staff will review it before it is "
                    "published."), "success")
            return redirect(url_for("pages.proposal", proposal_id=created["id"]))
        errors = in_order(problem_errors(answer), PROPOSAL_FIELDS)
        if not errors:
            errors = {"_form": [refusal(answer, on_403=_("Your account cannot submit proposals."))]}
        status = answer.status_code if answer.status_code in (400, 403, 404, 409, 413, 422) else 422
    return render("new.html", status, form=form, errors=errors,
                  process_options=[(p["id"], localised(p.get("title"), p["id"])) for p in process_list],
                  theme_options=[(code, label("theme", code)) for code in themes_of(process_list)],
                  language_options=[(code, autonym(code), code) for code in PROPOSAL_LANGUAGES])
