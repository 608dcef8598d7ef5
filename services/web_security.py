"""Security of every answer a service gives: the headers (one Content-Security-Policy family, without
'unsafe-inline'), the API docs page (Swagger UI started by a script file, not an inline script) and
the scrape token of the gateway's /metrics. Installed by `services.web.create_service_app`."""
from __future__ import annotations

import hmac
from pathlib import Path

from flask import Flask, Response, abort, request, send_from_directory

from services.settings import get_settings

# The pages (gateway/pages) and every other answer: no script at all, nothing framed, forms only here.
POLICY = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")
# /api/docs: Swagger UI's script files from this origin (its icons are data: images in its CSS).
DOCS_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"  # a year; only sent over TLS (RFC 6797 ignores it on http)
REFERRER = "same-origin"
STATIC = Path(__file__).parent / "static"
DOCS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API</title>
<link href="/api/swagger-ui/swagger-ui.css" rel="stylesheet" type="text/css">
</head>
<body>
<div id="swagger-ui-container"></div>
<script src="/api/swagger-ui/swagger-ui-standalone-preset.js"></script>
<script src="/api/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/api/docs.js"></script>
</body>
</html>
"""


def install(app: Flask, title: str) -> None:
    """The headers on every answer (errors too) and the docs page with its script file."""

    @app.after_request
    def security_headers(response: Response) -> Response:
        docs = request.path in ("/api/docs", "/api/docs/")
        response.headers.setdefault("Content-Security-Policy", DOCS_POLICY if docs else POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", REFERRER)
        if request.is_secure:  # https, or X-Forwarded-Proto: https from a trusted proxy (ProxyFix)
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    page = DOCS_PAGE.format(title=title.replace("&", "&amp;").replace("<", "&lt;"))

    @app.get("/api/docs")
    def api_docs():
        return Response(page, mimetype="text/html")

    @app.get("/api/docs.js")
    def api_docs_script():
        return send_from_directory(STATIC, "api-docs.js", mimetype="text/javascript", max_age=3600)


def check_metrics_scrape() -> None:
    """The gateway's /metrics, the one reachable from outside: only with `Authorization: Bearer
    <CIVIC_METRICS_TOKEN>` (401 otherwise), and not at all (404) while no token is set."""
    expected = get_settings().metrics_token
    if not expected:
        abort(404)
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(sent.strip().encode(), expected.encode()):
        abort(Response("A scrape token is required: Authorization: Bearer <CIVIC_METRICS_TOKEN>.\n", 401,
                       {"WWW-Authenticate": 'Bearer realm="metrics"'}, mimetype="text/plain"))
