"""Institutions directory, routing to several institutions, staff review and override,
the signed dossier (schema, digest, Ed25519 with the published key) and its PDF."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
from pathlib import Path

import jsonschema
import pypdf
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.support import (
    adopted,
    awaiting_review,
    poll,
    operator_of,
    register,
    staff_of,
    wait_status,
)

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "dossier-schema.json").read_text())
NATIONAL_BODIES = {"mddsz", "mvi", "mz", "mspo", "mnvp", "mnz", "uoim", "zrsz"}


def _copies(platform, pid):
    received = requests.get(f"{platform.url('institution')}/_received", timeout=10).json()["dossiers"]
    return [d for d in received if d["document"]["dossier"]["proposal"]["id"] == pid]


def _canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _verify(gateway, document: dict, key_id: str, signature: str) -> None:
    """Verify as an outsider would: with the key published at the well-known URL."""
    keys = requests.get(f"{gateway}/.well-known/civic-keys.json", timeout=10)
    assert keys.status_code == 200
    key = next(k for k in keys.json()["keys"] if k["kid"] == key_id)
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
    raw = base64.urlsafe_b64decode(key["x"] + "=" * (-len(key["x"]) % 4))
    Ed25519PublicKey.from_public_bytes(raw).verify(base64.b64decode(signature), _canonical(document))


def test_directory_is_seeded_and_edited_only_by_operators(gateway):
    staff, resident, operator = staff_of(gateway), register(gateway), operator_of(gateway)
    directory = {i["id"]: i for i in resident.get("/institutions").json()}
    assert NATIONAL_BODIES <= set(directory)
    assert directory["uoim"]["name"]["sl"] == "Urad Vlade RS za oskrbo in integracijo migrantov"
    assert directory["zrsz"]["acronym"] == {"sl": "ZRSZ", "en": "ESS"}
    assert all("secret" not in i and "api_key_hash" not in i for i in directory.values())

    code = f"t-{uuid.uuid4().hex[:8]}"
    body = {"id": code, "name": {"sl": "Zavod za šolstvo", "en": "Education Institute"}, "channel": "email",
            "email": "vloge@zrss.si", "deadline_days": 20, "themes": [],
            "contacts": [{"name": "Tajništvo", "email": "tajnistvo@zrss.si"}], "escalation_to": "mvi"}
    assert resident.post("/institutions", json=body).status_code == 403
    assert staff.post("/institutions", json=body).status_code == 403  # the directory is national
    assert operator.post("/institutions", json={**body, "email": None}).status_code == 422
    created = operator.post("/institutions", json=body)
    assert created.status_code == 201, created.text
    assert operator.post("/institutions", json=body).status_code == 409
    assert staff.request("PATCH", f"/institutions/{code}", json={"deadline_days": 2}).status_code == 403
    changed = operator.request("PATCH", f"/institutions/{code}", json={"deadline_days": 15})
    assert changed.status_code == 200 and changed.json()["deadline_days"] == 15
    assert resident.request("PATCH", f"/institutions/{code}", json={"deadline_days": 1}).status_code == 403
    assert resident.get(f"/institutions/{code}").json()["name"]["sl"] == "Zavod za šolstvo"


def test_shared_conclusion_goes_to_every_competent_institution_signed(platform, gateway):
    staff = staff_of(gateway)
    author, pid = adopted(gateway, staff, "housing", "shared", title="Več neprofitnih stanovanj: čšž ČŠŽ")
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
    for code in ("mnvp", "mspo"):  # housing is both ministries' competence: one dossier each
        wait_status(author, pid, code, "acknowledged")
    dossiers = author.get(f"/proposals/{pid}/forwarding").json()["dossiers"]
    assert [d["institution_id"] for d in dossiers] == ["mnvp", "mspo"]
    assert len({d["id"] for d in dossiers}) == 2 and len({d["receipt"] for d in dossiers}) == 2

    copies = poll(lambda: len(c := _copies(platform, pid)) == 2 and c, 10, "two copies at the institution")
    for copy in copies:
        sent = json.loads(copy["raw_body"])
        document = sent["dossier"]
        jsonschema.validate(document, SCHEMA)
        assert hashlib.sha256(_canonical(document)).hexdigest() == sent["digest"]
        _verify(gateway, document, sent["signature"]["key_id"], sent["signature"]["value"])
        assert copy["ed25519_verified"] is True  # the stand-in checked it with the published key too
        assert document["proposal"]["title"] == "Več neprofitnih stanovanj: čšž ČŠŽ"
        assert document["competence"] == "shared" and document["vote"]["tally"]["yes"] == 1
        assert document["proposal"]["summary"] == "Weekly Slovene conversation evenings for newcomers."
        assert document["deliberation"]["comments"] == 0

    # A tampered document no longer verifies.
    tampered = {**document, "staff_note": "changed"}
    try:
        _verify(gateway, tampered, sent["signature"]["key_id"], sent["signature"]["value"])
        raise AssertionError("a tampered dossier verified")
    except Exception as exc:  # noqa: BLE001
        assert type(exc).__name__ == "InvalidSignature"

    tracker = poll(lambda: (t := author.get("/tracker").json()) and any(
        c["proposal_id"] == pid for c in t["conclusions"]) and t, 10, "the conclusion on the tracker")
    entry = next(c for c in tracker["conclusions"] if c["proposal_id"] == pid)
    assert entry["municipal_action"] is True  # shared competence: the municipality acts too
    assert [d["institution_id"] for d in entry["dossiers"]] == ["mnvp", "mspo"]


def test_staff_review_overrides_routing_before_dispatch(platform, gateway):
    staff = staff_of(gateway)
    author, pid, held = awaiting_review(gateway, staff, theme="housing", competence="national")
    assert {d["institution_id"] for d in held} == {"mnvp", "mspo"}
    assert all(d["document"] is None for d in held)
    assert not _copies(platform, pid)

    assert author.post(f"/proposals/{pid}/forwarding/review", json={"institutions": ["mspo"]}).status_code == 403
    unknown = staff.post(f"/proposals/{pid}/forwarding/review", json={"institutions": ["nope"]})
    assert unknown.status_code == 422
    note = "Opomba občine: težava je tudi v šolah in vrtcih (č š ž)."
    answer = staff.post(f"/proposals/{pid}/forwarding/review",
                        json={"institutions": ["mspo", "zrsz"], "note": note})
    assert answer.status_code == 200, answer.text
    statuses = {d["institution_id"]: d["status"] for d in answer.json()["dossiers"]}
    assert statuses["mnvp"] == "cancelled" and statuses["mspo"] in ("prepared", "dispatching", "acknowledged")
    for code in ("mspo", "zrsz"):
        wait_status(author, pid, code, "acknowledged")
    assert [d["institution_id"] for d in author.get(f"/proposals/{pid}/forwarding").json()["dossiers"]] == \
        ["mspo", "zrsz"]  # residents do not see the cancelled route
    copies = poll(lambda: len(c := _copies(platform, pid)) == 2 and c, 10, "two copies")
    assert {c["institution"] for c in copies} == {"mspo", "zrsz"}
    assert all(json.loads(c["raw_body"])["dossier"]["staff_note"] == note for c in copies)
    again = staff.post(f"/proposals/{pid}/forwarding/review", json={"institutions": ["mz"]})
    assert again.status_code == 409


def test_dossier_pdf_is_bilingual_with_slovene_letters_intact(gateway):
    staff = staff_of(gateway)
    title = "Brezplačni tečaji slovenščine za starše: čšž ČŠŽ"
    author, pid = adopted(gateway, staff, "education", "national", title=title)
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
    dossier = wait_status(author, pid, "mvi", "acknowledged")
    assert author.get(f"/dossiers/{dossier['id']}/pdf").status_code == 403
    answer = staff.get(f"/dossiers/{dossier['id']}/pdf")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(answer.content)).pages)
    assert title in text
    assert "Ministrstvo za vzgojo in izobraževanje" in text and "Ministry of Education" in text
    assert "Občina" in text and "Utemeljitev pristojnosti" in text and "Competence justification" in text
    assert dossier["digest"] in text
    as_json = staff.get(f"/dossiers/{dossier['id']}/json").json()
    assert as_json["digest"] == dossier["digest"] and as_json["signature"]["value"] == dossier["signature"]
