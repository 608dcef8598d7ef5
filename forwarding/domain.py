"""Pure rules of forwarding: what is forwarded, where, the dossier and its digest, retries."""
from __future__ import annotations

import hashlib
import json
import random

DOSSIER_SCHEMA = "civic.dossier/1"
PREPARED, DISPATCHING, FAILED, ACKNOWLEDGED, ABANDONED = (
    "prepared", "dispatching", "failed", "acknowledged", "abandoned")


def needs_forwarding(outcome: str, competence: str) -> bool:
    """Adopted conclusions the municipality cannot resolve alone go to the state."""
    return outcome == "adopted" and competence in ("national", "shared")


def route(theme: str, institutions: list[dict]) -> list[dict]:
    """Every institution competent for the theme, in a stable order."""
    return sorted((i for i in institutions if theme in i["themes"]), key=lambda i: i["id"])


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(dossier: dict) -> str:
    return hashlib.sha256(canonical(dossier)).hexdigest()


def dossier_id(proposal_id: str, institution_id: str) -> str:
    """Deterministic: one conclusion makes one dossier per institution, however often it is seen."""
    return hashlib.sha256(f"{proposal_id}|{institution_id}".encode()).hexdigest()[:24]


def build_dossier(*, dossier_id: str, municipality: str, conclusion: dict, institution: dict,
                  prepared_at: str) -> dict:
    return {
        "schema": DOSSIER_SCHEMA,
        "dossier_id": dossier_id,
        "prepared_at": prepared_at,
        "municipality": municipality,
        "institution": {"id": institution["id"], "name": institution["name"]},
        "proposal": {"id": conclusion["proposal_id"], "process_id": conclusion["process_id"],
                     "title": conclusion["title"], "theme": conclusion["theme"]},
        "competence": conclusion["competence"],
        "outcome": conclusion["outcome"],
        "tally": conclusion["tally"],
        "ballots": conclusion["ballots"],
    }


def backoff_seconds(attempt: int, base: float, cap: float = 3600.0, rng=random.random) -> float:
    """Exponential backoff with full jitter: uniform in [base, base * 2^(attempt-1)], capped."""
    base = min(base, cap)
    ceiling = min(cap, base * 2.0 ** min(max(attempt - 1, 0), 64))
    return base + (ceiling - base) * rng()


def after_failure(attempt: int, max_attempts: int) -> str:
    return ABANDONED if attempt >= max_attempts else FAILED
