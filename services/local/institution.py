"""A stand-in national institution: receives dossiers over HTTP like a ministry's intake.

It checks the HMAC signature and the dossier digest, keeps one copy per
idempotency key (and counts every delivery), acknowledges with a receipt, and
can be told to fail (500s, slowness) through `/_control`.

Run: python -m services.local.institution --port 8090 --secret S --store var/institution
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
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


def create_app(secret: str, store: Path) -> Flask:
    app = Flask("institution")
    store.mkdir(parents=True, exist_ok=True)
    journal = store / "received.jsonl"
    lock = threading.Lock()
    state = {"mode": "ok", "delay": 0.0, "fail_next": 0, "deliveries": 0, "received": {}}
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
            mode, delay = state["mode"], state["delay"]
            failing = state["fail_next"] > 0 or mode == "fail"
            if state["fail_next"] > 0:
                state["fail_next"] -= 1
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
        with lock:
            entry = state["received"].get(key)
            if entry is None:
                entry = {"idempotency_key": key, "institution": code, "receipt": f"R-{uuid.uuid4().hex[:12]}",
                         "signature_verified": True, "digest_verified": True, "document": document,
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
