"""Dossier signing keys rotate: new dossiers are signed with the new key, the retired public key stays
published with its dates, and dossiers signed before and after both verify (key set, /portal/verify)."""
from __future__ import annotations

import base64
import json

import requests
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from services.cli import main as civic
from tests.e2e.test_pages import browser, csrf_of
from tests.support import adopted, poll, staff_of

MUNICIPALITY = "ljubljana"  # not Idrija: the portal pages' tests expect idrija-1


def _signed_file(platform, gateway, staff) -> bytes:
    """An adopted conclusion of national competence, closed: the signed dossier as the institution got it."""
    _author, pid = adopted(gateway, staff, "health", "national", title="Zdravstveno zavarovanje za vse")
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200

    def received():
        copies = requests.get(f"{platform.url('institution')}/_received", timeout=10).json()["dossiers"]
        return [c for c in copies if c["document"]["dossier"]["proposal"]["id"] == pid]
    return poll(received, 60, "the dossier at the institution")[0]["raw_body"].encode()


def _verifies_with_the_key_set(gateway, raw: bytes) -> dict:
    sent = json.loads(raw)
    keys = requests.get(f"{gateway}/.well-known/civic-keys.json", timeout=10).json()["keys"]
    key = next(k for k in keys if k["kid"] == sent["signature"]["key_id"])
    canonical = json.dumps(sent["dossier"], sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(key["x"] + "=" * (-len(key["x"]) % 4))).verify(
        base64.b64decode(sent["signature"]["value"]), canonical)
    return key


def _verify_page(gateway, raw: bytes) -> str:
    session, page = browser(), f"{gateway}/portal/verify?lang=en"
    token = csrf_of(session.get(page, timeout=30).text)
    answer = session.post(page, data={"csrf_token": token}, files={"dossier": ("dossier.json", raw, "application/json")},
                          timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_rotated_key_signs_new_dossiers_and_the_old_ones_still_verify(platform, gateway):
    staff = staff_of(gateway, MUNICIPALITY)
    before = _signed_file(platform, gateway, staff)
    rotated = CliRunner().invoke(civic, ["signing-key", "rotate", MUNICIPALITY])
    assert rotated.exit_code == 0, rotated.output
    after = _signed_file(platform, gateway, staff)

    old_id, new_id = (json.loads(raw)["signature"]["key_id"] for raw in (before, after))
    assert old_id != new_id and f"signs with {new_id} now; {old_id} retired" in rotated.output
    old, new = _verifies_with_the_key_set(gateway, before), _verifies_with_the_key_set(gateway, after)
    assert old["active"] is False and old["retired_at"] and old["municipality"] == MUNICIPALITY
    assert new["active"] is True and new["retired_at"] is None
    for raw, key_id in ((before, old_id), (after, new_id)):
        page = _verify_page(gateway, raw)
        assert "The signature is valid" in page and f"with its key {key_id}" in page
    assert "replaced by a newer one" in _verify_page(gateway, before)
    assert "replaced by a newer one" not in _verify_page(gateway, after)
    listed = CliRunner().invoke(civic, ["signing-key", "list"])
    assert listed.exit_code == 0 and old_id in listed.output and "retired" in listed.output, listed.output


def test_with_a_key_directory_the_private_keys_are_files_and_the_database_holds_public_keys(
        platform, tmp_path, monkeypatch):
    import stat
    import uuid

    from forwarding import keys
    from forwarding.store import SigningKey
    from services import db
    from services.settings import reset_settings

    code, held = f"keydir-{uuid.uuid4().hex[:6]}", f"keydb-{uuid.uuid4().hex[:6]}"
    directory = tmp_path / "signing-keys"
    db.connect("forwarding")
    try:
        keys.ensure_key(held)  # no directory set: in the database, as the local default
        assert SigningKey.objects(id=f"{held}-1").first().private_pem
        monkeypatch.setenv("CIVIC_SIGNING_KEY_DIR", str(directory))
        reset_settings()
        first = keys.ensure_key(code)
        assert first.private_pem is None and SigningKey.objects(id=first.id).first().private_pem is None
        path = directory / f"{first.id}.pem"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(directory.stat().st_mode) == 0o700
        key_id, signature = keys.sign(code, b"canonical bytes")
        assert key_id == first.id
        published = next(k for k in keys.public_keys()["keys"] if k["kid"] == key_id)
        Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(published["x"] + "==")).verify(
            base64.b64decode(signature), b"canonical bytes")
        _old, new = keys.rotate(code)
        assert (directory / f"{new.id}.pem").is_file() and keys.sign(code, b"x")[0] == new.id == f"{code}-2"

        moved = CliRunner().invoke(civic, ["signing-key", "move-to-dir", held])  # not the platform's keys
        assert moved.exit_code == 0 and f"{held}-1" in moved.output, moved.output
        assert SigningKey.objects(id=f"{held}-1").first().private_pem is None
        assert keys.sign(held, b"y")[0] == f"{held}-1"  # read from its file now
        path.unlink()
        keys._loaded.clear()
        SigningKey.objects(id=new.id).delete()  # the active key of `code` is first again, its file gone
        SigningKey.objects(id=first.id).update(set__active=True)
        try:
            keys.sign(code, b"z")
            raise AssertionError("signed without the private key file")
        except keys.KeyMissing as exc:
            assert first.id in str(exc)
    finally:
        SigningKey.objects(municipality__in=[code, held]).delete()
        monkeypatch.delenv("CIVIC_SIGNING_KEY_DIR", raising=False)
        reset_settings()
