"""Verifying a dossier file: anyone uploads the signed JSON as it was sent and learns whether its Ed25519
signature over the canonical document is valid, by which municipality's published key, for which dossier.
The check uses only what is public: the file and /.well-known/civic-keys.json."""
from __future__ import annotations

import base64
import binascii
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import abort, request
from flask_babel import gettext as _

from gateway.inner import call_op
from gateway.pages.blueprint import bp
from gateway.pages.portal import municipality_title
from gateway.pages.render import render
from gateway.pages.session import current_caller
from gateway.routes import CIVIC_KEYS

MAX_FILE_BYTES = 200 * 1024  # a dossier is a few kilobytes; the pages' usual body limit is 256 KiB


def canonical(data) -> bytes:
    """The bytes that are signed: the document as JSON with sorted keys, no spaces, UTF-8 (as forwarding)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(raw: bytes, keys: list[dict]) -> dict:
    """What the file proves: {"valid": bool, "reason": code, "dossier_id", "municipality", "key_id", "title"}."""
    try:
        sent = json.loads(raw.decode("utf-8-sig"))
        document, signature = sent["dossier"], sent["signature"]
        key_id, value = signature["key_id"], base64.b64decode(signature["value"], validate=True)
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, binascii.Error):
        return {"valid": False, "reason": "unreadable"}
    if not isinstance(document, dict):
        return {"valid": False, "reason": "unreadable"}
    proposal = document.get("proposal") if isinstance(document.get("proposal"), dict) else {}
    found = {name: value if isinstance(value, str) else None for name, value in (
        ("dossier_id", document.get("dossier_id")), ("municipality", document.get("municipality")),
        ("key_id", key_id), ("title", proposal.get("title")))}
    key = next((k for k in keys if k.get("kid") == found["key_id"]), None)
    if key is None:
        return {**found, "valid": False, "reason": "unknown_key"}
    try:
        Ed25519PublicKey.from_public_bytes(_b64url(key["x"])).verify(value, canonical(document))
    except (InvalidSignature, ValueError, binascii.Error):
        return {**found, "valid": False, "reason": "bad_signature"}
    if key.get("municipality") != document.get("municipality"):
        return {**found, "valid": False, "reason": "wrong_municipality"}
    digest_ok = sent.get("digest") in (None, hashlib.sha256(canonical(document)).hexdigest())
    return {**found, "valid": digest_ok, "reason": "ok" if digest_ok else "bad_digest",
            "signer": key.get("municipality"), "active": key.get("active", True)}


def published_keys() -> list[dict]:
    answer = call_op(CIVIC_KEYS, current_caller())
    if answer.status_code != 200:
        abort(503)
    return answer.json().get("keys", [])


@bp.route("/portal/verify", methods=["GET", "POST"])
def portal_verify():
    errors: dict[str, list[str]] = {}
    result = None
    if request.method == "POST":
        upload = request.files.get("dossier")
        raw = upload.stream.read(MAX_FILE_BYTES + 1) if upload and upload.filename else b""
        if not raw:
            errors["dossier"] = [_("Choose the dossier file (JSON) to check.")]
        elif len(raw) > MAX_FILE_BYTES:
            errors["dossier"] = [_("This file is too large to be a dossier.")]
        else:
            result = verify(raw, published_keys())
    status = 422 if errors else 200
    return render("portal_verify.html", status, errors=errors, result=result, municipality_title=municipality_title,
                  signer_title=municipality_title(result["signer"]) if result and result.get("signer") else "")
