"""The institutions directory: seed, read, and operators' edits (it is national, not any municipality's)."""
from __future__ import annotations

import hashlib
import secrets

from forwarding.store import Institution
from services.auth import Caller
from services.db import utcnow
from services.errors import Conflict, DomainError, Forbidden, NotFound
from services.settings import get_settings

# The national bodies competent for migrant integration. Routing follows `themes`; together they
# cover the nine national areas of social planning (proposals.domain.NATIONAL_THEMES) and the demo
# themes, with the Government Office for the Support and Integration of Migrants (uoim) as the
# catch-all where no ministry is more competent. A theme nobody covers (a municipality's own) waits
# in the staff's routing queue; staff may also add any body at review.
# (code, name, acronym, themes, deadline days, escalation target)
NATIONAL_BODIES = [
    ("mddsz", {"sl": "Ministrstvo za delo, družino, socialne zadeve in enake možnosti",
               "en": "Ministry of Labour, Family, Social Affairs and Equal Opportunities"},
     {"sl": "MDDSZ", "en": "MLFSA"}, ["employment", "social_affairs", "family"], 30, "uoim"),
    ("mvi", {"sl": "Ministrstvo za vzgojo in izobraževanje", "en": "Ministry of Education"},
     {"sl": "MVI", "en": "MoE"}, ["education", "training"], 30, "uoim"),
    ("mz", {"sl": "Ministrstvo za zdravje", "en": "Ministry of Health"},
     {"sl": "MZ", "en": "MoH"}, ["health"], 30, "uoim"),
    ("mspo", {"sl": "Ministrstvo za solidarno prihodnost", "en": "Ministry of Solidarity-Based Future"},
     {"sl": "MSP", "en": "MSF"}, ["housing"], 45, "uoim"),
    ("mnvp", {"sl": "Ministrstvo za naravne vire in prostor", "en": "Ministry of Natural Resources and Spatial Planning"},
     {"sl": "MNVP", "en": "MNRSP"}, ["housing", "spatial_planning"], 45, "uoim"),
    ("mnz", {"sl": "Ministrstvo za notranje zadeve", "en": "Ministry of the Interior"},
     {"sl": "MNZ", "en": "MoI"}, ["residence", "permits", "rights"], 30, "uoim"),
    ("uoim", {"sl": "Urad Vlade RS za oskrbo in integracijo migrantov",
              "en": "Government Office for the Support and Integration of Migrants"},
     {"sl": "UOIM", "en": "GOSIM"}, ["inclusion", "intercultural", "rights"], 30, None),
    ("zrsz", {"sl": "Zavod Republike Slovenije za zaposlovanje", "en": "Employment Service of Slovenia"},
     {"sl": "ZRSZ", "en": "ESS"}, ["labour_market", "work_permits", "training"], 30, "mddsz"),
    ("mk", {"sl": "Ministrstvo za kulturo", "en": "Ministry of Culture"},
     {"sl": "MK", "en": "MoC"}, ["culture"], 30, "uoim"),
]
EDITABLE = ("name", "acronym", "themes", "channel", "webhook_url", "secret", "email", "postal_address",
            "deadline_days", "contacts", "escalation_to", "account_ids", "breaker_threshold",
            "breaker_cooldown_seconds")


def seed_demo() -> None:
    """Seed the directory (idempotent; operators' edits to existing entries are kept)."""
    settings = get_settings()
    for code, name, acronym, themes, days, escalation in NATIONAL_BODIES:
        if Institution.objects(id=code).first():
            continue
        Institution(id=code, name=name, acronym=acronym, themes=themes, deadline_days=days,
                    channel="webhook", webhook_url=f"{settings.institution_url}/intake/{code}",
                    secret=settings.institution_secret, email=f"glavna.pisarna@{code}.gov.si",
                    contacts=[{"name": "Glavna pisarna", "email": f"gp.{code}@gov.si"}],
                    escalation_to=escalation).save()
    # The demo municipality's signing key exists from the start, so its public key is published
    # at /.well-known/civic-keys.json before the first dossier is signed.
    from forwarding.keys import ensure_key

    ensure_key("idrija")


def list_institutions() -> list[Institution]:
    return list(Institution.objects.order_by("id"))


def get_institution(code: str) -> Institution:
    institution = Institution.objects(id=code).first()
    if institution is None:
        raise NotFound("No such institution.")
    return institution


def _operator(caller: Caller) -> None:
    """The directory is national, shared by every municipality: only platform operators edit it."""
    if caller.role != "operator":
        raise Forbidden("Only platform operators edit the national institutions directory.")


def _check(institution: Institution) -> None:
    errors = {}
    if institution.channel == "webhook" and not (institution.webhook_url and institution.secret):
        errors["webhook_url"] = ["A webhook institution needs webhook_url and secret."]
    if institution.channel == "email" and not institution.email:
        errors["email"] = ["An e-mail institution needs its official address."]
    if "sl" not in (institution.name or {}) or "en" not in (institution.name or {}):
        errors["name"] = ["Give the name in Slovene (sl) and English (en)."]
    if errors:
        raise DomainError("The institution is not complete.", errors={"json": errors})


def create_institution(caller: Caller, data: dict) -> Institution:
    _operator(caller)
    if Institution.objects(id=data["id"]).first():
        raise Conflict("An institution with this id exists.", code="duplicate")
    institution = Institution(id=data["id"], **{k: data[k] for k in EDITABLE if k in data})
    _check(institution)
    institution.save(force_insert=True)
    return institution


def update_institution(caller: Caller, code: str, data: dict) -> Institution:
    _operator(caller)
    institution = get_institution(code)
    for key in EDITABLE:
        if key in data:
            setattr(institution, key, data[key])
    institution.updated_at = utcnow()
    _check(institution)
    institution.save()
    return institution


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def issue_api_key(caller: Caller, code: str) -> dict:
    """A new API key for the institution's systems; shown once, stored only as a hash."""
    _operator(caller)
    institution = get_institution(code)
    api_key = f"civ_{code}_{secrets.token_urlsafe(24)}"
    institution.update(set__api_key_hash=hash_key(api_key))
    return {"institution_id": code, "api_key": api_key}


def by_api_key(api_key: str | None) -> Institution | None:
    return Institution.objects(api_key_hash=hash_key(api_key)).first() if api_key else None
