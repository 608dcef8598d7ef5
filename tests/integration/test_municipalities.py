"""Municipalities as data: an operator adds one on the command line or through the API, with its
languages, time zone and branding; every service learns of it; residents can register in it."""
from __future__ import annotations

import base64
import uuid

import requests
from click.testing import CliRunner

from services.cli import main as civic
from tests.support import PASSWORD, operator_of, poll, staff_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the signature is what is checked; browsers are not asked to draw it


def test_an_operator_adds_a_municipality_on_the_command_line_and_every_service_learns_of_it(gateway):
    code = f"kanal-{uuid.uuid4().hex[:6]}"
    refused = CliRunner().invoke(civic, ["municipality", "create", "--code", code, "--name", "Kanal",
                                         "--languages", "sl,en", "--accent-colour", "#ffcc00"])
    assert refused.exit_code != 0 and "accent_colour" in refused.output and "4.5:1" in refused.output
    created = CliRunner().invoke(civic, ["municipality", "create", "--code", code, "--name", "Kanal ob Soči",
                                         "--languages", "sl,en,uk", "--timezone", "Europe/Ljubljana",
                                         "--accent-colour", "#2d4a6b"])
    assert created.exit_code == 0, created.output
    listed = CliRunner().invoke(civic, ["municipality", "list"])
    assert code in listed.output and "Kanal ob Soči" in listed.output

    shown = poll(lambda: next((m for m in requests.get(f"{gateway}/api/v1/municipalities", timeout=10).json()
                               if m["code"] == code), None), 10, "the gateway to list the new municipality")
    assert shown == {"code": code, "name": "Kanal ob Soči", "languages": ["sl", "en", "uk"],
                     "default_language": "sl", "timezone": "Europe/Ljubljana", "accent_colour": "#2d4a6b",
                     "has_coat_of_arms": False}
    poll(lambda: any(k["kid"] == f"{code}-1" for k in
                     requests.get(f"{gateway}/.well-known/civic-keys.json", timeout=10).json()["keys"]), 30,
         "forwarding to make and publish the new municipality's signing key")
    registered = requests.post(f"{gateway}/api/v1/auth/register", timeout=10, json={
        "email": f"r-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD, "municipality": code})
    assert registered.status_code == 201 and registered.json()["municipality"] == code
    unknown = requests.post(f"{gateway}/api/v1/auth/register", timeout=10, json={
        "email": f"r-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD, "municipality": "atlantis"})
    assert unknown.status_code == 422 and code in unknown.json()["errors"]["json"]["municipality"][0]


def test_only_operators_create_and_brand_municipalities_through_the_api(gateway):
    operator, staff = operator_of(gateway), staff_of(gateway)
    code = f"bovec-{uuid.uuid4().hex[:6]}"
    body = {"code": code, "name": "Bovec", "languages": ["sl", "en"], "accent_colour": "#1d5e8c",
            "coat_of_arms_base64": base64.b64encode(PNG).decode()}
    assert staff.post("/municipalities", json=body).status_code == 403
    svg = {**body, "coat_of_arms_base64": base64.b64encode(b"<svg onload='alert(1)'/>").decode()}
    answer = operator.post("/municipalities", json=svg)
    assert answer.status_code == 422 and "PNG or JPEG" in answer.json()["errors"]["json"]["coat_of_arms"][0]
    created = operator.post("/municipalities", json=body)
    assert created.status_code == 201 and created.json()["has_coat_of_arms"] is True, created.text
    assert operator.post("/municipalities", json=body).status_code == 409
    image = requests.get(f"{gateway}/api/v1/municipalities/{code}/coat-of-arms", timeout=10)
    assert image.status_code == 200 and image.content == PNG and image.headers["Content-Type"] == "image/png"
    assert operator.patch(f"/municipalities/{code}", json={"default_language": "de"}).status_code == 422
    changed = operator.patch(f"/municipalities/{code}", json={"languages": ["en", "sl"], "default_language": "en"})
    assert changed.status_code == 200 and changed.json()["default_language"] == "en"
    assert staff.patch(f"/municipalities/{code}", json={"name": "Bovec 2"}).status_code == 403
