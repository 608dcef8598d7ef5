"""`civic run --keep-data` keeps the event log too (Apache Kafka writes it under var/kafka): an event
published before the platform stops, and not yet consumed, is consumed after the restart, once."""
from __future__ import annotations

import os

import pytest
import requests

from services.local.platform import Platform
from services.local.smtp_server import read_mailbox
from services.settings import reset_settings
from tests.support import PASSWORD, outboxes_drained, poll, unique_email

pytestmark = pytest.mark.slow


@pytest.fixture
def own_platform(tmp_path, platform):
    """A second platform of this test's own (the session's keeps running); the session's settings
    are put back afterwards."""
    saved = dict(os.environ)
    started: list[Platform] = []
    yield tmp_path / "var", started
    for one in started:
        one.stop()
    os.environ.clear()
    os.environ.update(saved)
    reset_settings()


def test_an_event_not_yet_consumed_at_the_stop_is_consumed_after_a_restart(own_platform):
    var, started = own_platform
    first = Platform(var, gateway_port=0)
    if first.broker != "kafka":
        pytest.skip("Tansu keeps its log in memory: a restart empties it (CIVIC_LOCAL_BROKER=tansu)")
    started.append(first.start())
    gateway = first.gateway_url
    email = unique_email("restart")
    assert requests.post(f"{gateway}/api/v1/auth/register", json={
        "email": email, "password": PASSWORD, "municipality": "idrija", "language": "en"}, timeout=30).ok
    poll(lambda: requests.get(f"{first.url('notifications')}/readyz", timeout=5).ok, 30, "notifications ready")
    first.procs["notifications-worker"].stop()  # nobody consumes notifications' events now
    assert requests.post(f"{gateway}/api/v1/auth/password-reset", json={"email": email}, timeout=30).status_code == 202
    poll(outboxes_drained, 30, "the gateway's relay to publish the reset event to the broker")
    first.stop()
    assert not _reset_mails(first, email), "nobody consumed the event before the stop"

    again = Platform(var, gateway_port=0, fresh=False)
    started.append(again.start())
    assert again.ports["kafka"] == first.ports["kafka"], "a kept log is served on the port it was formatted with"
    poll(lambda: _reset_mails(again, email), 60, "the reset mail, from the event published before the stop")
    assert len(_reset_mails(again, email)) == 1


def _reset_mails(platform: Platform, email: str) -> list:
    return [m for m in read_mailbox(platform.maildir, to=email) if "/password-reset/" in m.get_content()]
