"""Municipalities as data: created by operators (`civic municipality create`, the operator console),
each with its languages, time zone, branding and default language.

The gateway owns the list (it is where people arrive and choose); the other services hold data
per municipality code and learn of a new one from `accounts.municipality_created` (forwarding
makes its signing key). Reads are cached for a few seconds in each gateway process, since every
request resolves its municipality."""
from __future__ import annotations

import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pymongo.errors import DuplicateKeyError

from gateway import branding
from gateway.store import Municipality
from services.auth import Caller
from services.db import UNAVAILABLE, Unit, atomically, utcnow
from services.errors import Conflict, DomainError, Forbidden, NotFound
from services.events import Actor, make_event
from services.i18n import LANGUAGES

CACHE_SECONDS = 5.0
DEMO = [
    {"code": "idrija", "name": "Idrija", "languages": ["sl", "en", "uk", "sq", "bs"], "accent_colour": "#1d5e8c"},
    {"code": "litija", "name": "Litija", "languages": ["sl", "en", "uk", "bs"], "accent_colour": "#7a3e00"},
    {"code": "ljubljana", "name": "Ljubljana", "languages": ["sl", "en", "uk", "sq", "bs"],
     "accent_colour": "#2d6b2d"},
]


_cache: dict = {"at": 0.0, "all": {}}


def all_municipalities() -> dict[str, Municipality]:
    """Every municipality by code (cached for CACHE_SECONDS in this process)."""
    if time.monotonic() - _cache["at"] > CACHE_SECONDS:
        try:
            _cache["all"] = {m.id: m for m in Municipality.objects.order_by("name")}
        except UNAVAILABLE:
            if not _cache["all"]:
                raise
            return _cache["all"]  # the database is away: the last list read (pages can say so)
        _cache["at"] = time.monotonic()
    return _cache["all"]


def known_codes(including: str | None = None) -> list[str]:
    """Every municipality's code; a code not in this process's cache yet (just created by another
    process) is looked up once more rather than refused."""
    if including and including not in all_municipalities():
        forget_cache()
    return list(all_municipalities())


def forget_cache() -> None:
    _cache["at"] = 0.0


def exists(code: str) -> bool:
    """Whether the municipality is on the platform; one just created by another process refreshes
    this process's cache, so that its pages are its own at once (not the first one's)."""
    if code in all_municipalities():
        return True
    if Municipality.objects(id=code).first() is None:
        return False
    forget_cache()
    return True


def get(code: str) -> Municipality:
    found = all_municipalities().get(code) or Municipality.objects(id=code).first()
    if found is None:
        raise NotFound("No such municipality.")
    return found


def _checked(data: dict, creating: bool) -> dict:
    errors: dict[str, list[str]] = {}
    if creating and not branding.valid_code(data.get("code") or ""):
        errors["code"] = ["Use 2-40 lower-case letters, digits or -, starting with a letter."]
    if "name" in data and not 1 <= len((data["name"] or "").strip()) <= 100:
        errors["name"] = ["Give the name, 1 to 100 characters."]
    languages = data.get("languages")
    if languages is not None:
        unknown = [code for code in languages if code not in LANGUAGES]
        if not languages or unknown:
            errors["languages"] = [f"Choose among: {', '.join(LANGUAGES)}."]
    default = data.get("default_language")
    if default is not None and default not in (languages or data.get("_current_languages") or []):
        errors["default_language"] = ["The default language must be one of the municipality's languages."]
    if data.get("timezone") is not None:
        try:
            ZoneInfo(data["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = ["Not a time zone name, e.g. Europe/Ljubljana."]
    if data.get("accent_colour") is not None:
        problem = branding.accent_problem(data["accent_colour"])
        if problem:
            errors["accent_colour"] = [problem]
    if data.get("coat_of_arms") is not None:
        problem = branding.image_problem(data["coat_of_arms"])
        if problem:
            errors["coat_of_arms"] = [problem]
    if errors:
        raise DomainError("The municipality is not valid.", errors={"json": errors})
    return data


def _operator(caller: Caller) -> None:
    if caller.role not in ("operator", "system"):
        raise Forbidden("Only platform operators create and change municipalities.")


def _event(kind: str, municipality: Municipality, caller: Caller) -> dict:
    return make_event(f"accounts.municipality_{kind}", municipality=municipality.id, aggregate_id=municipality.id,
                      actor=Actor("system" if caller.role == "system" else "operator", caller.id), payload={
                          "code": municipality.id, "name": municipality.name, "languages": municipality.languages,
                          "default_language": municipality.default_language, "timezone": municipality.timezone})


def create(caller: Caller, data: dict) -> Municipality:
    """A new municipality, announced to every service (forwarding makes its signing key)."""
    _operator(caller)
    data = _checked({"default_language": (data.get("languages") or ["sl"])[0], **data}, creating=True)
    municipality = Municipality(id=data["code"], name=data["name"].strip(), languages=data["languages"],
                                default_language=data["default_language"],
                                timezone=data.get("timezone") or "Europe/Ljubljana",
                                accent_colour=(data.get("accent_colour") or branding.DEFAULT_ACCENT).lower())
    municipality.limits = data.get("limits") or {}
    if data.get("coat_of_arms"):
        municipality.coat_of_arms = data["coat_of_arms"]
        municipality.coat_of_arms_type = branding.image_type(data["coat_of_arms"])

    def work(unit: Unit) -> Municipality:
        unit.insert(municipality)
        unit.emit(_event("created", municipality, caller))
        return municipality

    try:
        created = atomically(work)
    except DuplicateKeyError as exc:
        raise Conflict("A municipality with this code exists.", code="duplicate",
                       errors={"json": {"code": ["Already taken."]}}) from exc
    forget_cache()
    return created


def update(caller: Caller, code: str, data: dict) -> Municipality:
    _operator(caller)
    municipality = get(code)
    _checked({**data, "_current_languages": municipality.languages}, creating=False)
    changes = {key: data[key] for key in ("name", "languages", "default_language", "timezone", "accent_colour",
                                          "limits")
               if data.get(key) is not None}
    if data.get("coat_of_arms"):
        changes["coat_of_arms"] = data["coat_of_arms"]
        changes["coat_of_arms_type"] = branding.image_type(data["coat_of_arms"])
    if "languages" in changes and municipality.default_language not in changes["languages"] \
            and "default_language" not in changes:
        changes["default_language"] = changes["languages"][0]
    changes["updated_at"] = utcnow()

    def work(unit: Unit) -> Municipality:
        changed = unit.update(Municipality, {"_id": code}, {"$set": changes})
        unit.emit(_event("updated", changed, caller))
        return changed

    changed = atomically(work)
    forget_cache()
    return changed


def seed_demo() -> None:
    """The three demo municipalities (idempotent: operators' changes are kept)."""
    system = Caller("seed", "system", "*")
    for data in DEMO:
        if not Municipality.objects(id=data["code"]).first():
            create(system, dict(data))
