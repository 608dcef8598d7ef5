"""Service tokens: only the gateway can mint them (Ed25519); inner services hold the public key only."""
from __future__ import annotations

import time
from pathlib import Path

import jwt
import requests

from services import auth
from services.auth import Caller
from services.settings import get_settings
STAFF = Caller("keys-staff", "staff", "idrija")


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def problem(answer: requests.Response, status: int) -> dict:
    assert answer.status_code == status, answer.text
    return answer.json()


def _claims() -> dict:
    now = int(time.time())
    return {"sub": STAFF.id, "role": STAFF.role, "mun": STAFF.municipality, "aud": auth.SERVICE_AUDIENCE,
            "iat": now, "exp": now + 60}


def _ask(platform, token: str) -> requests.Response:
    return requests.get(platform.url("proposals") + "/api/proposals", params={"municipality": "idrija"},
                        headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_only_the_gateway_s_processes_hold_the_private_key(platform):
    for name, proc in platform.procs.items():
        env = _environ(proc.pid)
        has_private = {"CIVIC_SERVICE_SIGNING_KEY", "CIVIC_SERVICE_SIGNING_KEY_FILE"} & set(env)
        if name == "gateway-api":
            assert has_private, f"{name} cannot mint service tokens"
        else:
            assert not has_private, f"{name} holds the service token private key: {has_private}"
            if name.endswith(("-api", "-worker")):
                assert env.get("CIVIC_SERVICE_PUBLIC_KEY_FILE"), f"{name} has no public key to verify with"
    private = Path(get_settings().service_signing_key_file)
    assert private.stat().st_mode & 0o077 == 0, f"{private} is readable by others"


def test_an_inner_service_refuses_tokens_the_gateway_did_not_sign(platform):
    hs256 = jwt.encode(_claims(), get_settings().service_secret, algorithm="HS256")
    assert problem(_ask(platform, hs256), 401)["detail"] == "The token is not valid."
    another_key = jwt.encode(_claims(), auth.new_key_pair()[0], algorithm="EdDSA")
    assert problem(_ask(platform, another_key), 401)["detail"] == "The token is not valid."
    answer = _ask(platform, auth.service_token(STAFF))  # signed with the gateway's key
    assert answer.status_code == 200, answer.text
