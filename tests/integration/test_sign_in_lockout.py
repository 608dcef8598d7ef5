"""Issue 16: failed sign-ins wait per (e-mail, client address) and per client address, with a delay
that doubles, so whoever knows a staff member's e-mail cannot lock them out from elsewhere; a burst
of failures on one account mails its owner once, in the owner's language.

The suite's platform: 5 free failures per pair, delays from 3 s (tests.support.ABUSE_LIMITS_OFF_THE_WAY),
10 failures on an account in 15 minutes make the burst."""
from __future__ import annotations

import pytest
import requests

from services.i18n import gettext
from services.limits import TooManyAttempts
from services.local.smtp_server import read_mailbox
from services.settings import reset_settings
from tests.support import PASSWORD, client_address, poll, register, unique_email

FREE, BURST = 5, 10


def sign_in(gateway: str, email: str, password: str, address: str) -> requests.Response:
    return requests.post(f"{gateway}/api/v1/auth/login", json={"email": email, "password": password},
                         headers={"X-Forwarded-For": address}, timeout=30)


def test_an_attacker_elsewhere_waits_longer_each_time_and_the_owner_still_signs_in(platform, gateway):
    owner = register(gateway, language="sl")
    attacker, home = client_address(), client_address()
    first = [sign_in(gateway, owner.email, "wrong-password-1", attacker).status_code for _ in range(FREE)]
    assert first == [401] * FREE, first
    delays = []
    for n in range(3):  # each failure after the free ones doubles the wait: 3 s, 6 s, 12 s
        refused = sign_in(gateway, owner.email, "wrong-password-1", attacker)
        assert refused.status_code == 429 and refused.json()["code"] == "too_many_attempts", refused.text
        delays.append(int(refused.headers["Retry-After"]))
        assert sign_in(gateway, owner.email, PASSWORD, home).status_code == 200  # the owner is not locked out
        if n < 2:
            poll(lambda: sign_in(gateway, owner.email, "wrong-password-1", attacker).status_code == 401, 30,
                 "the attacker's delay to pass")
    print(f"sign-in per (account, address): {FREE + 2} failures and 3 refusals, {FREE} free, delays {delays} s")
    assert delays == [3, 6, 12], delays

    for _ in range(BURST - FREE - 2 + 2):  # from addresses of their own: more failures on the account
        assert sign_in(gateway, owner.email, "wrong-password-2", client_address()).status_code == 401
    subject = gettext("sl", "Failed sign-ins to your account")
    mails = poll(lambda: [m for m in read_mailbox(platform.maildir, to=owner.email) if m["Subject"] == subject],
                 30, "the mail about the burst of failed sign-ins, in Slovene")
    assert "10" in mails[0].get_content()
    poll(lambda: sign_in(gateway, owner.email, PASSWORD, attacker).status_code == 200, 30,
         "the attacker's address to sign in with the right password once its delay is over")
    print(f"sign-in burst: {BURST + 2} failures on one account, mails to its owner: {len(mails)}")
    assert len(mails) == 1


def test_failures_from_one_address_make_it_wait_whatever_the_e_mail(gateway, monkeypatch):
    """In-process against the platform's database, with the per-address allowance lowered to 3."""
    from gateway import handlers
    from services import db
    from services.errors import Unauthorized

    monkeypatch.setenv("CIVIC_SIGN_IN_FAILURES_PER_ADDRESS", "3")
    monkeypatch.setenv("CIVIC_SIGN_IN_DELAY_SECONDS", "60")
    reset_settings()
    try:
        db.connect("gateway")
        owner, attacker = register(gateway), client_address()
        for _ in range(3):
            with pytest.raises(Unauthorized):
                handlers.login(unique_email("sprayed"), "wrong-password-3", client=attacker)
        with pytest.raises(TooManyAttempts) as refused:
            handlers.login(unique_email("sprayed"), "wrong-password-3", client=attacker)
        assert 59 <= refused.value.retry_after <= 60
        with pytest.raises(TooManyAttempts):  # the address waits, whatever it tries
            handlers.login(owner.email, PASSWORD, client=attacker)
        assert handlers.login(owner.email, PASSWORD, client=client_address())["token"]
        print("sign-in per address: 5 attempts, 3 free failures, refused 2 (delay 60 s)")
    finally:
        monkeypatch.undo()
        reset_settings()
