"""Demo data: the municipality of Idrija, its process, the institutions directory, demo accounts."""
from __future__ import annotations

import importlib

from services import db

SEEDED = ("proposals", "voting", "forwarding", "gateway")


def seed_all() -> None:
    """Seed every service's own database through its own handlers (idempotent)."""
    for service in SEEDED:
        store = importlib.import_module(f"{service}.store")
        handlers = importlib.import_module(f"{service}.handlers")
        db.connect(service)
        db.ensure_indexes(*store.MODELS)
        handlers.seed_demo()
