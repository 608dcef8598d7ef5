"""A stand-in machine translation service that speaks LibreTranslate's real protocol.

`POST /translate` takes `q` (a string or a list of strings), `source`, `target`, `format` ("text" or
"html") and `api_key`, as JSON or as a form, and answers `{"translatedText": ...}` (a list for a list),
or `{"error": ...}` with 400 (bad input), 403 (wrong API key) or 429 (slow down), like LibreTranslate.
`GET /languages` lists what it translates. Its "translation" is deterministic, so tests can check
it: the text with the marker `[target]` in front (`"[uk] Dober dan"`).

`POST /_control` tells it to misbehave: `{"fail_next": 2}` answers the next two requests with 500,
`{"mode": "fail"}` fails every one until `{"mode": "ok"}`, `{"delay": 3}` answers slowly (a timeout
for a client that waits less), `{"mode": "busy"}` answers 429. `GET /_requests` counts what came.

Run: python -m services.local.translator --port 5000 [--api-key KEY]
"""
from __future__ import annotations

import argparse
import threading
import time

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

LANGUAGES = {"sl": "Slovenian", "en": "English", "uk": "Ukrainian", "sq": "Albanian", "bs": "Bosnian",
             "hr": "Croatian", "sr": "Serbian", "de": "German", "it": "Italian", "ar": "Arabic"}


def translated(text: str, target: str) -> str:
    """The stand-in's deterministic translation of `text` into `target`."""
    return f"[{target}] {text}"


def create_app(api_key: str | None = None) -> Flask:
    app = Flask("translator")
    lock = threading.Lock()
    state = {"mode": "ok", "delay": 0.0, "fail_next": 0, "requests": 0, "translated": []}

    @app.post("/translate")
    def translate():
        data = request.get_json(silent=True) if request.is_json else request.form.to_dict(flat=False)
        data = data or {}
        if not request.is_json:  # a form: one value per key, q may repeat
            data = {k: (v if k == "q" and len(v) > 1 else v[0]) for k, v in data.items()}
        with lock:
            state["requests"] += 1
            mode, delay = state["mode"], state["delay"]
            failing = mode == "fail" or state["fail_next"] > 0
            if state["fail_next"] > 0:
                state["fail_next"] -= 1
        if delay:
            time.sleep(delay)
        if failing:
            return jsonify(error="Internal server error"), 500
        if mode == "busy":
            return jsonify(error="Slowdown: too many requests"), 429
        if api_key and data.get("api_key") != api_key:
            return jsonify(error="Invalid API key"), 403
        q, source, target = data.get("q"), data.get("source"), data.get("target")
        if q is None or q == "":
            return jsonify(error="Invalid request: missing q parameter"), 400
        if not source:
            return jsonify(error="Invalid request: missing source parameter"), 400
        if not target:
            return jsonify(error="Invalid request: missing target parameter"), 400
        if (source != "auto" and source not in LANGUAGES) or target not in LANGUAGES:
            return jsonify(error=f"{target if target not in LANGUAGES else source} is not supported"), 400
        if data.get("format", "text") not in ("text", "html"):
            return jsonify(error="Invalid request: format must be text or html"), 400
        texts = q if isinstance(q, list) else [q]
        out = [translated(text, target) for text in texts]
        with lock:
            state["translated"].append({"source": source, "target": target, "count": len(texts)})
        return jsonify(translatedText=out if isinstance(q, list) else out[0])

    @app.get("/languages")
    def languages():
        return jsonify([{"code": code, "name": name, "targets": sorted(LANGUAGES)}
                        for code, name in LANGUAGES.items()])

    @app.post("/_control")
    def control():
        data = request.get_json(force=True)
        with lock:
            state["mode"] = data.get("mode", state["mode"])
            state["delay"] = float(data.get("delay", state["delay"]))
            state["fail_next"] = int(data.get("fail_next", state["fail_next"]))
            return jsonify({k: state[k] for k in ("mode", "delay", "fail_next", "requests")})

    @app.get("/_requests")
    def requests_seen():
        with lock:
            return jsonify(requests=state["requests"], translated=list(state["translated"]))

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


class Running:
    """The stand-in on a free loopback port in a thread of this process (for tests): `.url`, `.stop()`."""

    def __init__(self, api_key: str | None = None, port: int = 0):
        self.server = make_server("127.0.0.1", port, create_app(api_key), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--api-key", default=None)
    args = parser.parse_args()
    server = make_server("127.0.0.1", args.port, create_app(args.api_key), threaded=True)
    print(f"stand-in translator (LibreTranslate protocol) on 127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
