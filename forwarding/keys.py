"""Each municipality's Ed25519 signing keys, rotation, and the public key set anyone can verify with.

A municipality signs new dossiers with its newest active key. Rotation adds a key (`<code>-<n+1>`)
and retires the others; retired public keys stay published with their dates, so every dossier
signed before still verifies. The private halves live in forwarding's database, or, with
CIVIC_SIGNING_KEY_DIR set, only as `<key id>.pem` files (mode 0600) in that directory: the
database then holds the public keys and key ids alone (docs/security.md)."""
from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import mongoengine as me
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymongo.errors import DuplicateKeyError

from forwarding.store import SigningKey
from services.db import utcnow
from services.settings import get_settings


class KeyMissing(RuntimeError):
    """The active key's private half is neither in the database nor in the key directory."""


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def key_dir() -> Path | None:
    setting = get_settings().signing_key_dir
    return Path(setting) if setting else None


def write_private(directory: Path, key_id: str, pem: str) -> Path:
    """`<key id>.pem`, created readable by its owner only (never overwritten)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / f"{key_id}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(pem)
    return path


def _create(municipality: str, key_id: str) -> SigningKey | None:
    """A new active key, or None when that key id exists already."""
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    directory = key_dir()
    if directory is not None:
        try:
            write_private(directory, key_id, pem)
        except FileExistsError:  # a concurrent creator (or an earlier crash) holds this id's file
            return None
    key = SigningKey(id=key_id, municipality=municipality, private_pem=None if directory else pem,
                     public_raw=_b64url(raw))
    try:
        return key.save(force_insert=True)
    except (DuplicateKeyError, me.NotUniqueError):
        return None


def active_key(municipality: str) -> SigningKey | None:
    return SigningKey.objects(municipality=municipality, active=True).order_by("-created_at").first()


def ensure_key(municipality: str) -> SigningKey:
    """The municipality's active key, created on first use."""
    key = active_key(municipality)
    if key is None:
        _create(municipality, f"{municipality}-1")  # a concurrent first use may have created it
        key = active_key(municipality)
    return key


def rotate(municipality: str) -> tuple[SigningKey | None, SigningKey]:
    """A new active key for `municipality`; the previous ones retired (still published)."""
    old = active_key(municipality)
    numbers = [int(m[1]) for k in SigningKey.objects(municipality=municipality).only("id")
               if (m := re.fullmatch(rf"{re.escape(municipality)}-(\d+)", k.id))]
    new = _create(municipality, f"{municipality}-{max(numbers, default=0) + 1}")
    if new is None:
        raise RuntimeError(f"another rotation of {municipality}'s key ran at the same time: try again")
    SigningKey.objects(municipality=municipality, active=True, id__ne=new.id).update(
        set__active=False, set__retired_at=utcnow())
    return old, new


def _private(key: SigningKey) -> Ed25519PrivateKey:
    pem = key.private_pem
    if pem is None:
        directory = key_dir()
        path = directory / f"{key.id}.pem" if directory else None
        if path is None or not path.is_file():
            raise KeyMissing(f"the private key {key.id} is not in the database and not in "
                             f"CIVIC_SIGNING_KEY_DIR ({directory or 'unset'})")
        pem = path.read_text()
    return serialization.load_pem_private_key(pem.encode(), password=None)


_loaded: dict[str, Ed25519PrivateKey] = {}  # key id -> private key: a key's bytes never change


def sign(municipality: str, message: bytes, key: SigningKey | None = None) -> tuple[str, str]:
    """(key id, base64 Ed25519 signature of `message`) with the municipality's newest active key
    (looked up on every signature, so a rotation takes effect in every process at once; a batch of
    dossiers looks it up once and passes it as `key`)."""
    key = key or ensure_key(municipality)
    if key.id not in _loaded:
        _loaded[key.id] = _private(key)
    return key.id, base64.b64encode(_loaded[key.id].sign(message)).decode()


def public_keys() -> dict:
    """A JWK set (RFC 8037 OKP keys) of every municipality's keys, active or retired."""
    return {"keys": [{"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": k.id,
                      "x": k.public_raw, "municipality": k.municipality, "active": k.active,
                      "created_at": k.created_at.isoformat(),
                      "retired_at": k.retired_at.isoformat() if k.retired_at else None}
                     for k in SigningKey.objects.order_by("id")]}


def move_to_dir(directory: Path, municipalities: list[str] | None = None) -> list[str]:
    """Write the private keys still in the database (of `municipalities`, or all) to `directory`, then
    drop them from the database."""
    moved, held = [], SigningKey.objects(private_pem__ne=None)
    for key in held(municipality__in=municipalities) if municipalities else held:
        path = directory / f"{key.id}.pem"
        if not path.exists():
            write_private(directory, key.id, key.private_pem)
        if path.read_text() != key.private_pem:
            raise RuntimeError(f"{path} holds another key than {key.id}: moved nothing more")
        SigningKey.objects(id=key.id).update(unset__private_pem=True)
        moved.append(key.id)
    return moved


def on_municipality_created(event: dict) -> None:
    """A new municipality gets its signing key at once, so its public key is published before the
    first dossier (idempotent: ensure_key keeps the one it finds)."""
    ensure_key(event["payload"]["code"])
