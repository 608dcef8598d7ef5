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
    _link_demo_institution_account()


def _link_demo_institution_account() -> None:
    """The demo ministry's intake account acts for the Ministry of Labour (mddsz) in the portal."""
    from forwarding.cli import link_account
    from gateway.store import Account

    db.connect("gateway")
    account = Account.objects(email="vlozisce@mddsz.gov.si").first()
    if account is not None:
        link_account("mddsz", account.id)
