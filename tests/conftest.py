"""One platform per test session, started exactly as `civic run` starts it."""
from __future__ import annotations

import os

import pytest

from tests.support import ABUSE_LIMITS_OFF_THE_WAY


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    from services.local.platform import Platform

    var = tmp_path_factory.mktemp("civic-var")
    env = {
        # Fast, bounded retries so that failure paths finish within a test's deadline.
        "CIVIC_DISPATCH_BACKOFF_SECONDS": "0.2",
        "CIVIC_DISPATCH_TIMEOUT_SECONDS": "3",
        "CIVIC_DISPATCH_MAX_ATTEMPTS": "4",
        "CIVIC_CONSUMER_MAX_RETRIES": "2",
        "CIVIC_TEST_CLOCK": "1",  # forwarding's deadline clock may be advanced by staff in tests
        "CIVIC_TRANSLATION_PROVIDER": "libretranslate",  # replies machine-translated by services/local/translator.py
        # Registrations are limited per client address: tests.support.register gives each new
        # resident an address of their own (X-Forwarded-For, trusted for one hop here), so only
        # the tests that register directly share 127.0.0.1's allowance.
        "CIVIC_TRUSTED_PROXIES": "1",
        "CIVIC_REGISTRATIONS_PER_HOUR": "40",
        # The suite writes and signs in from 127.0.0.1 thousands of times: the abuse limits stay far
        # above that here; tests of the limits lower them for a municipality of their own.
        **ABUSE_LIMITS_OFF_THE_WAY,
        # The "daily" digest of notifications comes every ~11 s here, so a test sees one go out.
        "CIVIC_DIGEST_HOURS": "0.003",
        # scrypt at N=2**10 rather than 2**15: the suite registers about two thousand residents
        # (a third of a CPU-second each at the production cost); the hashes are still real scrypt.
        "CIVIC_PASSWORD_METHOD": "scrypt:1024:8:1",
        "CIVIC_METRICS_TOKEN": "test-scrape-token",  # the gateway's /metrics answers only with it
    }
    running = Platform(var, gateway_port=0, env=env).start()
    yield running
    running.stop()
    if os.environ.get("CIVIC_KEEP_TEST_LOGS"):
        print(f"platform logs kept in {var / 'log'}")


@pytest.fixture(scope="session")
def gateway(platform) -> str:
    return platform.gateway_url


@pytest.fixture(scope="session")
def forwarding_clock(platform):
    """The forwarding database's clock collection, through one client for the session."""
    import pymongo

    from services.settings import get_settings

    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri, serverSelectionTimeoutMS=5000) as client:
        yield client[settings.database("forwarding")]["clock"]


@pytest.fixture(autouse=True)
def clock_stays_put(request):
    """A test that moves forwarding's deadline clock makes every dossier of the platform due at once
    (thousands of reminders and staff alerts, which hold up every mail after them): it must be
    marked `moves_clock`, and `make test` runs those on a platform of their own."""
    watched = "platform" in request.fixturenames and not request.node.get_closest_marker("moves_clock")
    clock = request.getfixturevalue("forwarding_clock") if watched else None
    yield
    if clock is None:
        return
    moved = (clock.find_one({"_id": "clock"}) or {}).get("seconds", 0)
    assert not moved, f"{request.node.nodeid} moved forwarding's clock by {moved:.0f} s: mark it moves_clock"
