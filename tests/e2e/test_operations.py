"""Every service is observable and the public API is documented."""
from __future__ import annotations

import pytest
import requests

from services.settings import SERVICES

PUBLIC_OPERATIONS = [
    ("post", "/api/v1/auth/register"), ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/m/{municipality}/proposals"), ("get", "/api/v1/m/{municipality}/proposals"),
    ("get", "/api/v1/m/{municipality}/proposals/{proposal_id}"),
    ("post", "/api/v1/m/{municipality}/proposals/{proposal_id}/moderation"),
    ("post", "/api/v1/m/{municipality}/proposals/{proposal_id}/voting/open"),
    ("post", "/api/v1/m/{municipality}/proposals/{proposal_id}/voting/close"),
    ("put", "/api/v1/m/{municipality}/proposals/{proposal_id}/ballot"),
    ("get", "/api/v1/m/{municipality}/proposals/{proposal_id}/results"),
    ("get", "/api/v1/m/{municipality}/proposals/{proposal_id}/forwarding"),
]


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_is_healthy_ready_and_measured(platform, service):
    base = platform.url(service)
    assert requests.get(f"{base}/healthz", timeout=5).json()["status"] == "ok"
    ready = requests.get(f"{base}/readyz", timeout=5).json()
    inner = {name: True for name in SERVICES if name != "gateway"} if service == "gateway" else {}
    assert ready == {"status": "ready", "checks": {"database": True, "broker": True, **inner}}
    requests.get(f"{base}/healthz", timeout=5)
    # The gateway's is scraped with its token (tests/e2e/test_web_security.py); the inner ones are open.
    token = platform.environment()["CIVIC_METRICS_TOKEN"] if service == "gateway" else None
    metrics = requests.get(f"{base}/metrics", headers={"Authorization": f"Bearer {token}"} if token else {},
                           timeout=5)
    assert metrics.status_code == 200
    assert f'civic_http_request_seconds_count{{endpoint="/healthz",method="GET",service="{service}"' \
        in metrics.text


def test_openapi_documents_every_public_operation(gateway):
    spec = requests.get(f"{gateway}/api/openapi.json", timeout=5).json()
    for method, path in PUBLIC_OPERATIONS:
        assert method in spec["paths"].get(path, {}), f"{method.upper()} {path} is not documented"
    ballot = spec["paths"]["/api/v1/m/{municipality}/proposals/{proposal_id}/ballot"]["put"]
    assert ballot["security"] == [{"bearerAuth": []}]
    schema = spec["components"]["schemas"]["BallotIn"]
    assert schema["properties"]["choice"]["enum"] == ["yes", "no", "abstain"]


def test_api_docs_page_serves_swagger_ui_locally(gateway):
    page = requests.get(f"{gateway}/api/docs", timeout=5)
    assert page.status_code == 200 and "/api/swagger-ui/swagger-ui-bundle.js" in page.text
    bundle = requests.get(f"{gateway}/api/swagger-ui/swagger-ui-bundle.js", timeout=5)
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
