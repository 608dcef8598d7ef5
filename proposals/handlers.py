"""Use cases of proposals: submit, read, edit with versions, translate, withdraw, workshop input."""
from __future__ import annotations

from datetime import date

from proposals import domain, markup, similar
from proposals.common import emit, is_blocked, load, settings_of
from proposals.processes import process_of
from proposals.store import Proposal, ProposalVersion
from proposals.suggestions import suggest
from services.auth import Caller
from services.calendar import local_today
from services.db import Unit, atomically, utcnow
from services.errors import Forbidden, NotFound

TEXT_FIELDS = ("title", "summary", "body", "theme", "tags", "translations")


def _clean_translations(translations: dict) -> dict:
    return {lang: {"title": t["title"], "summary": t["summary"], "body": markup.clean_source(t.get("body", ""))}
            for lang, t in (translations or {}).items()}


def _terms(proposal: Proposal) -> list[str]:
    texts = [proposal.title, proposal.summary, proposal.body, " ".join(proposal.tags)]
    for t in proposal.translations.values():
        texts += [t["title"], t["summary"], t.get("body", "")]
    return similar.search_terms(*texts)


def _version(proposal: Proposal, editor_id: str) -> ProposalVersion:
    return ProposalVersion(id=f"{proposal.id}:{proposal.version}", proposal_id=proposal.id,
                           version=proposal.version, editor_id=editor_id,
                           **{k: getattr(proposal, k) for k in TEXT_FIELDS if k != "body"}, body=proposal.body)


def _new_proposal(caller: Caller, data: dict) -> Proposal:
    process = process_of(data["process_id"], caller.municipality)
    domain.check_theme(data["theme"], list(process.themes))
    proposal = Proposal(
        municipality=caller.municipality, author_id=caller.id, process_id=process.id,
        phase=domain.current_phase(process_phases(process), local_today()),
        body=markup.clean_source(data.get("body") or ""), translations=_clean_translations(data.get("translations")),
        tags=sorted({t.strip().lower() for t in data.get("tags") or [] if t.strip()}),
        default_competence=process.themes[data["theme"]], author_kind=data.get("author_kind", "resident"),
        organisation=data.get("organisation"), **{k: data[k] for k in ("title", "summary", "theme", "language")})
    proposal.search_terms = _terms(proposal)
    return proposal


def process_phases(process) -> list[dict]:
    return [{"code": p["code"], "starts_on": date.fromisoformat(p["starts_on"]),
             "ends_on": date.fromisoformat(p["ends_on"])} for p in process.phases]


def submit_proposal(caller: Caller, data: dict) -> dict:
    """A resident (or staff) submits a proposal; it waits for moderation. Similar ones are suggested."""
    if caller.role not in ("resident", "staff"):
        raise Forbidden("Only residents and staff submit proposals.")
    domain.check_not_blocked(is_blocked(caller.municipality, caller.id))
    proposal = _new_proposal(caller, data)
    suggestions = suggest(caller, {"title": proposal.title, "summary": proposal.summary, "body": proposal.body})

    def work(unit: Unit) -> Proposal:
        unit.insert(proposal)
        unit.insert(_version(proposal, caller.id))
        emit(unit, caller, "proposals.proposal_submitted", proposal.id, {
            "proposal_id": proposal.id, "process_id": proposal.process_id, "title": proposal.title,
            "summary": proposal.summary, "theme": proposal.theme, "language": proposal.language,
            "author_id": proposal.author_id})
        return proposal

    return present(atomically(work), similar_to=suggestions)


def record_workshop_input(caller: Caller, data: dict) -> dict:
    """Staff record a focus group's or world-café table's outcome; published at once with its provenance."""
    if caller.role != "staff":
        raise Forbidden("Only municipal staff record workshop input.")
    data = {**data, "author_kind": "workshop", "organisation": None}
    proposal = _new_proposal(caller, data)
    domain.check_competence(data["competence"], proposal.default_competence, data.get("justification"),
                            settings_of(caller.municipality).require_justification)
    workshop = {**data["workshop"], "held_on": data["workshop"]["held_on"].isoformat(), "recorded_by": caller.id}
    proposal.workshop, proposal.status, proposal.decided_at = workshop, domain.PUBLISHED, utcnow()
    proposal.competence, proposal.competence_justification = data["competence"], data.get("justification")

    def work(unit: Unit) -> Proposal:
        unit.insert(proposal)
        unit.insert(_version(proposal, caller.id))
        emit(unit, caller, "proposals.workshop_input_recorded", proposal.id, {
            "proposal_id": proposal.id, "process_id": proposal.process_id, "kind": workshop["kind"],
            "facilitator": workshop["facilitator"], "held_on": workshop["held_on"],
            "participants": workshop["participants"], "languages": workshop["languages"]})
        emit(unit, caller, "proposals.proposal_published", proposal.id, {
            "proposal_id": proposal.id, "process_id": proposal.process_id, "title": proposal.title,
            "theme": proposal.theme, "competence": proposal.competence, "author_id": proposal.author_id})
        return proposal

    return present(atomically(work))


def get_proposal(caller: Caller, proposal_id: str) -> dict:
    proposal = Proposal.objects(id=proposal_id, municipality=caller.municipality).first()
    if proposal is None or not domain.visible_to(proposal.status, proposal.author_id, caller.id, caller.role):
        raise NotFound("No such proposal.")
    return present(proposal, with_overdue=caller.role == "staff")


def edit_proposal(caller: Caller, proposal_id: str, data: dict) -> dict:
    """The author changes a proposal that is not yet published; the old version is kept."""
    domain.check_not_blocked(is_blocked(caller.municipality, caller.id))

    def work(unit: Unit) -> Proposal:
        proposal = load(unit, caller, proposal_id)
        domain.transition("edit", proposal.status, caller.role, proposal.author_id == caller.id)
        if "theme" in data:
            themes = process_of(proposal.process_id, caller.municipality).themes
            domain.check_theme(data["theme"], list(themes))
            proposal.default_competence = themes[data["theme"]]
        for name in ("title", "summary", "theme"):
            if name in data:
                setattr(proposal, name, data[name])
        if "body" in data:
            proposal.body = markup.clean_source(data["body"])
        if "tags" in data:
            proposal.tags = sorted({t.strip().lower() for t in data["tags"] if t.strip()})
        if "translations" in data:
            proposal.translations = _clean_translations(data["translations"])
        proposal.version += 1
        proposal.status, proposal.submitted_at = domain.PENDING, utcnow()
        proposal.search_terms = _terms(proposal)
        unit.save(proposal)
        unit.insert(_version(proposal, caller.id))
        emit(unit, caller, "proposals.proposal_edited", proposal.id, {
            "proposal_id": proposal.id, "version": proposal.version, "title": proposal.title,
            "summary": proposal.summary, "theme": proposal.theme, "author_id": proposal.author_id})
        return proposal

    return present(atomically(work))


def add_translation(caller: Caller, proposal_id: str, language: str, data: dict) -> dict:
    """The author (until published) or staff (any time) add a translation."""
    def work(unit: Unit) -> Proposal:
        proposal = load(unit, caller, proposal_id)
        if caller.role != "staff":
            domain.transition("edit", proposal.status, caller.role, proposal.author_id == caller.id)
        proposal.translations = {**proposal.translations, **_clean_translations({language: data})}
        proposal.search_terms = _terms(proposal)
        unit.save(proposal)
        emit(unit, caller, "proposals.translation_added", proposal.id,
             {"proposal_id": proposal.id, "language": language})
        return proposal

    return present(atomically(work))


def withdraw_proposal(caller: Caller, proposal_id: str) -> dict:
    def work(unit: Unit) -> Proposal:
        proposal = load(unit, caller, proposal_id)
        previous = proposal.status
        proposal.status = domain.transition("withdraw", previous, caller.role, proposal.author_id == caller.id)
        proposal.decided_at = utcnow()
        unit.save(proposal)
        emit(unit, caller, "proposals.proposal_withdrawn", proposal.id, {
            "proposal_id": proposal.id, "title": proposal.title, "previous_status": previous,
            "author_id": proposal.author_id})
        return proposal

    return present(atomically(work))


def versions(caller: Caller, proposal_id: str) -> list[ProposalVersion]:
    proposal = Proposal.objects(id=proposal_id, municipality=caller.municipality).first()
    if proposal is None or not (caller.role == "staff" or proposal.author_id == caller.id):
        raise NotFound("No such proposal.")
    return list(ProposalVersion.objects(proposal_id=proposal_id).order_by("version"))


def present(proposal: Proposal, *, similar_to: list | None = None, with_overdue: bool = False) -> dict:
    """A proposal as the API shows it (rendered body, overdue flag, suggestions)."""
    data = proposal.to_mongo().to_dict()
    data["id"] = data.pop("_id")
    data.pop("search_terms", None)
    data["body_html"] = markup.render(proposal.body)
    data["overdue"] = False
    if with_overdue and proposal.status == domain.PENDING:
        data["overdue"] = domain.is_overdue(proposal.status, proposal.submitted_at, utcnow(),
                                            settings_of(proposal.municipality).target_hours)
    if similar_to is not None:
        data["similar"] = similar_to
    return data


from proposals.processes import seed_demo  # noqa: F401  (services.seed calls handlers.seed_demo)
