"""Each municipality's Ed25519 signing key, and the public key set anyone can verify with."""
from __future__ import annotations

import base64

import mongoengine as me
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymongo.errors import DuplicateKeyError

from forwarding.store import SigningKey


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def ensure_key(municipality: str) -> SigningKey:
    """The municipality's active key, created on first use."""
    key = SigningKey.objects(municipality=municipality, active=True).order_by("-created_at").first()
    if key is not None:
        return key
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    key_id = f"{municipality}-1"  # one key per municipality for now; rotation adds -2, -3, ...
    try:
        SigningKey(id=key_id, municipality=municipality, private_pem=pem, public_raw=_b64url(raw)).save(force_insert=True)
    except (DuplicateKeyError, me.NotUniqueError):  # a concurrent first use created it: use that one
        pass
    return SigningKey.objects(id=key_id).first()


_loaded: dict[str, tuple[str, Ed25519PrivateKey]] = {}


def sign(municipality: str, message: bytes) -> tuple[str, str]:
    """(key id, base64 Ed25519 signature of `message`)."""
    if municipality not in _loaded:  # keys are never changed in place, only added: safe to keep
        key = ensure_key(municipality)
        _loaded[municipality] = (key.id, serialization.load_pem_private_key(key.private_pem.encode(), password=None))
    key_id, private = _loaded[municipality]
    return key_id, base64.b64encode(private.sign(message)).decode()


def public_keys() -> dict:
    """A JWK set (RFC 8037 OKP keys) of every municipality's keys, active or retired."""
    return {"keys": [{"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": k.id,
                      "x": k.public_raw, "municipality": k.municipality, "active": k.active,
                      "created_at": k.created_at.isoformat()}
                     for k in SigningKey.objects.order_by("id")]}


def on_municipality_created(event: dict) -> None:
    """A new municipality gets its signing key at once, so its public key is published before the
    first dossier (idempotent: ensure_key keeps the one it finds)."""
    ensure_key(event["payload"]["code"])
