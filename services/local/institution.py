"""A stand-in national institution: receives dossiers over HTTP like a ministry's intake.

It checks the HMAC signature and the dossier digest, keeps one copy per
idempotency key (and counts every delivery), acknowledges with a receipt, and
can be told to fail (500s, slowness) through `/_control`, for every intake or for one
(`{"code": ...}`). It also checks the municipality's Ed25519 signature against the keys the
platform publishes at /.well-known/civic-keys.json and records the result. E-mail intake is the
local SMTP server; acknowledgements and replies go through the platform's institution portal.

Run: python -m services.local.institution --port 8090 --secret S --store var/institution
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from pathlib import Path

from flask import Flask, jsonify, request
from werkzeug.serving import make_server


def canonical(data) -> bytes:
    """The byte form a dossier digest is computed over."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


_keys: dict[str, bytes] = {}


def verify_ed25519(document: dict) -> bool | None:
    """Check the municipality's Ed25519 signature with the key published at the platform's
    well-known URL (CIVIC_GATEWAY_URL). None when there is no signature or no key to check with."""
    signature = document.get("signature") or {}
    if not signature.get("key_id") or not signature.get("value"):
        return None
    if signature["key_id"] not in _keys:
        try:
            import requests

            keyset = requests.get(f"{os.environ['CIVIC_GATEWAY_URL']}/.well-known/civic-keys.json", timeout=5).json()
            for key in keyset.get("keys", []):
                _keys[key["kid"]] = base64.urlsafe_b64decode(key["x"] + "=" * (-len(key["x"]) % 4))
        except Exception:  # noqa: BLE001 - the platform may be unreachable: record "not checked"
            return None
    raw = _keys.get(signature["key_id"])
    if raw is None:
        return None
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(base64.b64decode(signature["value"]),
                                                       canonical(document["dossier"]))
    except (InvalidSignature, ValueError):
        return False
    return True


def create_app(secret: str, store: Path) -> Flask:
    app = Flask("institution")
    store.mkdir(parents=True, exist_ok=True)
    journal = store / "received.jsonl"
    lock = threading.Lock()
    state = {"mode": "ok", "delay": 0.0, "fail_next": 0, "deliveries": 0, "received": {}, "codes": {}}
    if journal.exists():
        for line in journal.read_text().splitlines():
            entry = json.loads(line)
            state["received"][entry["idempotency_key"]] = entry

    @app.post("/intake/<code>")
    def intake(code: str):
        body = request.get_data()
        timestamp = request.headers.get("X-Civic-Timestamp", "")
        signature = request.headers.get("X-Civic-Signature", "")
        key = request.headers.get("Idempotency-Key", "")
        with lock:
            state["deliveries"] += 1
            per_code = state["codes"].get(code)
            target = per_code if per_code is not None else state  # one intake may be told apart
            if per_code is not None:
                per_code["deliveries"] += 1
            mode, delay = target["mode"], target["delay"]
            failing = target["fail_next"] > 0 or mode == "fail"
            if target["fail_next"] > 0:
                target["fail_next"] -= 1
        if delay:
            time.sleep(delay)
        if failing:
            return jsonify(error="intake temporarily unavailable"), 500
        if not hmac.compare_digest(sign(secret, timestamp, body), signature):
            return jsonify(error="signature does not verify"), 401
        if not key:
            return jsonify(error="Idempotency-Key header is required"), 400
        document = json.loads(body)
        digest_ok = hashlib.sha256(canonical(document["dossier"])).hexdigest() == document.get("digest")
        if not digest_ok:
            return jsonify(error="digest does not match the dossier"), 422
        ed25519 = verify_ed25519(document)
        with lock:
            entry = state["received"].get(key)
            if entry is None:
                entry = {"idempotency_key": key, "institution": code, "receipt": f"R-{uuid.uuid4().hex[:12]}",
                         "signature_verified": True, "digest_verified": True, "ed25519_verified": ed25519,
                         "document": document,
                         "raw_body": body.decode(), "timestamp": timestamp, "signature": signature,
                         "received_at": time.time(), "deliveries": 0}
                state["received"][key] = entry
                with journal.open("a") as out:
                    out.write(json.dumps(entry, ensure_ascii=False) + "\n")
            entry["deliveries"] += 1  # a redelivery of the same key: counted, not stored again
        return jsonify(acknowledged=True, receipt=entry["receipt"]), 202

    @app.get("/_received")
    def received():
        with lock:
            return jsonify(deliveries=state["deliveries"], dossiers=list(state["received"].values()))

    @app.post("/_control")
    def control():
        data = request.get_json(force=True)
        if data.get("code"):  # {"code": "x", "mode"/"delay"/"fail_next"}: only that intake; "reset": true drops it
            with lock:
                if data.get("reset"):
                    return jsonify(state["codes"].pop(data["code"], {}))
                target = state["codes"].setdefault(data["code"], {"mode": "ok", "delay": 0.0, "fail_next": 0,
                                                                  "deliveries": 0})
                target["mode"] = data.get("mode", target["mode"])
                target["delay"] = float(data.get("delay", target["delay"]))
                target["fail_next"] = int(data.get("fail_next", target["fail_next"]))
                return jsonify(target)
        with lock:
            state["mode"] = data.get("mode", state["mode"])
            state["delay"] = float(data.get("delay", state["delay"]))
            state["fail_next"] = int(data.get("fail_next", state["fail_next"]))
            return jsonify({k: state[k] for k in ("mode", "delay", "fail_next", "deliveries")})

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--store", default="var/institution")
    args = parser.parse_args()
    server = make_server("127.0.0.1", args.port, create_app(args.secret, Path(args.store)), threaded=True)
    print(f"stand-in institution on 127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
