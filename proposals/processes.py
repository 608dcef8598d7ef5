"""Use cases of participatory processes and the theme catalogue."""
from __future__ import annotations

from datetime import date

from proposals import domain
from proposals.common import emit
from proposals.store import Process, Theme
from services.auth import Caller
from services.calendar import local_today
from services.db import Unit, atomically
from services.errors import Conflict, DomainError, Forbidden, NotFound

DEMO_PROCESS = {
    "id": "idrija-vkljucujoca",
    "municipality": "idrija",
    "title": {"sl": "Načrt za vključujočo Idrijo", "en": "Plan for an inclusive Idrija"},
    "themes": domain.DEFAULT_THEMES,
}
DEMO_THEMES = [("idrija", "inclusion", {"sl": "Vključevanje", "en": "Inclusion"}, "municipal")]
# Litija's and Ljubljana's programmes run beside Idrija's pilot on the same install.
DEMO_PROCESSES = [DEMO_PROCESS, {
    "id": "litija-skupaj", "municipality": "litija",
    "title": {"sl": "Litija skupaj: vključevanje priseljencev", "en": "Litija together: including newcomers"},
    "themes": domain.DEFAULT_THEMES,
}, {
    "id": "ljubljana-dobrodosli", "municipality": "ljubljana",
    "title": {"sl": "Dobrodošli v Ljubljani", "en": "Welcome to Ljubljana"},
    "themes": domain.DEFAULT_THEMES,
}]


def process_of(process_id: str, municipality: str) -> Process:
    process = Process.objects(id=process_id, municipality=municipality).first()
    if process is None:
        raise NotFound("No such process in your municipality.", errors={
            "json": {"process_id": ["Unknown process."]}})
    return process


def themes(caller: Caller) -> list[dict]:
    """The nine national areas of social planning and the municipality's own themes."""
    listed = [{"code": code, "labels": {"en": label}, "competence": competence, "national": True}
              for code, (label, competence) in domain.NATIONAL_THEMES.items()]
    listed += [{"code": t.code, "labels": t.labels, "competence": t.competence, "national": False}
               for t in Theme.objects(municipality=caller.municipality).order_by("code")]
    return listed


def _catalogue(municipality: str) -> dict[str, str]:
    known = {code: competence for code, (_, competence) in domain.NATIONAL_THEMES.items()}
    known.update({t.code: t.competence for t in Theme.objects(municipality=municipality)})
    return known


def define_theme(caller: Caller, data: dict) -> dict:
    """Staff add a theme of their own municipality, with its default competence."""
    _staff(caller)
    if data["code"] in domain.NATIONAL_THEMES:
        raise Conflict("A national theme has this code.", code="duplicate",
                       errors={"json": {"code": ["Already a national theme."]}})
    theme = Theme(id=f"{caller.municipality}:{data['code']}", municipality=caller.municipality, **data)

    def work(unit: Unit) -> Theme:
        unit.save(theme)
        emit(unit, caller, "proposals.theme_defined", theme.id, dict(data))
        return theme

    atomically(work)
    return {**data, "national": False}


def _staff(caller: Caller) -> None:
    if caller.role != "staff":
        raise Forbidden("Only municipal staff manage processes and themes.")


def _themes_with_competence(codes: list[str], municipality: str) -> dict[str, str]:
    catalogue = _catalogue(municipality)
    unknown = [c for c in codes if c not in catalogue]
    if unknown:
        raise DomainError("Unknown themes.", errors={"json": {"themes": [
            f"Not in the catalogue: {', '.join(unknown)}. Define them first."]}})
    return {code: catalogue[code] for code in codes}


def _phases(phases: list[dict]) -> list[dict]:
    domain.check_phases(phases)
    return [{"code": p["code"], "starts_on": p["starts_on"].isoformat(), "ends_on": p["ends_on"].isoformat()}
            for p in phases]


def _saved(unit: Unit, caller: Caller, process: Process, kind: str) -> Process:
    unit.save(process)
    emit(unit, caller, kind, process.id, {"process_id": process.id, "title": process.title,
                                          "themes": process.themes, "phases": process.phases})
    return process


def create_process(caller: Caller, data: dict) -> dict:
    _staff(caller)
    if Process.objects(id=data["id"]).first() is not None:
        raise Conflict("A process with this id exists.", code="duplicate",
                       errors={"json": {"id": ["Already taken."]}})
    process = Process(id=data["id"], municipality=caller.municipality, title=data["title"],
                      description=data.get("description") or {}, phases=_phases(data.get("phases") or []),
                      themes=_themes_with_competence(data["themes"], caller.municipality))
    return present(atomically(lambda unit: _saved(unit, caller, process, "proposals.process_created")))


def update_process(caller: Caller, process_id: str, data: dict) -> dict:
    _staff(caller)
    process = process_of(process_id, caller.municipality)
    if "themes" in data:
        # Keep competences already set for themes the process had; new ones take the catalogue's.
        fresh = _themes_with_competence(data["themes"], caller.municipality)
        process.themes = {code: process.themes.get(code, comp) for code, comp in fresh.items()}
    if "phases" in data:
        process.phases = _phases(data["phases"])
    for name in ("title", "description"):
        if name in data:
            setattr(process, name, data[name])
    return present(atomically(lambda unit: _saved(unit, caller, process, "proposals.process_updated")))


def get_process(caller: Caller, process_id: str) -> dict:
    return present(process_of(process_id, caller.municipality))


def list_processes(caller: Caller) -> list[dict]:
    return [present(p) for p in Process.objects(municipality=caller.municipality).order_by("id")]


def present(process: Process) -> dict:
    phases = [{"code": p["code"], "starts_on": date.fromisoformat(p["starts_on"]),
               "ends_on": date.fromisoformat(p["ends_on"])} for p in process.phases]
    return {"id": process.id, "municipality": process.municipality, "title": process.title,
            "description": process.description, "phases": process.phases, "themes": process.themes,
            "current_phase": domain.current_phase(phases, local_today())}


def seed_demo() -> None:
    """The demo municipalities' processes and Idrija's own theme (idempotent)."""
    for municipality, code, labels, competence in DEMO_THEMES:
        Theme.objects(id=f"{municipality}:{code}").update_one(
            upsert=True, set__municipality=municipality, set__code=code, set__labels=labels,
            set__competence=competence)
    for process in DEMO_PROCESSES:
        Process.objects(id=process["id"]).update_one(upsert=True, **{
            f"set__{k}": v for k, v in process.items() if k != "id"})
