"""What the institution portal decides without I/O: a reply attachment's kind read from its bytes (never
its name), and a dossier file's signature checked against the published keys (a tampered file is not valid)."""
from __future__ import annotations

import base64
import io
import json
import zipfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forwarding.attachments import DOCX, ODT, kind_of
from forwarding.domain import canonical
from gateway.pages.portal_verify import verify


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_kind_of_a_file_comes_from_its_content():
    assert kind_of(b"%PDF-1.7\n...") == "application/pdf"
    assert kind_of(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert kind_of(b"\xff\xd8\xff\xe0....") == "image/jpeg"
    assert kind_of(_zip({"mimetype": ODT.encode(), "content.xml": b"<x/>"})) == ODT
    assert kind_of(_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})) == DOCX
    assert kind_of(_zip({"xl/workbook.xml": b"<x/>"})) is None  # a spreadsheet is not admitted
    assert kind_of(b"PK\x03\x04 broken") is None
    assert kind_of(b"<html><script>alert(1)</script>") is None
    assert kind_of(b"MZ\x90\x00") is None


def _signed(document: dict) -> tuple[bytes, list[dict]]:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = {"kty": "OKP", "crv": "Ed25519", "kid": "idrija-1", "municipality": "idrija", "active": True,
           "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}
    body = {"dossier": document, "digest": None,
            "signature": {"alg": "Ed25519", "key_id": "idrija-1",
                          "value": base64.b64encode(private.sign(canonical(document))).decode()}}
    return json.dumps(body, ensure_ascii=False).encode(), [key]


def test_a_signed_dossier_is_valid_and_any_change_makes_it_not_valid():
    document = {"dossier_id": "d1", "municipality": "idrija", "proposal": {"title": "Tečaji slovenščine"},
                "tally": {"yes": 10, "no": 2}}
    file, keys = _signed(document)
    found = verify(file, keys)
    assert found["valid"] and found["signer"] == "idrija" and found["dossier_id"] == "d1"
    tampered = json.loads(file)
    tampered["dossier"]["tally"]["yes"] = 11
    checked = verify(json.dumps(tampered).encode(), keys)
    assert not checked["valid"] and checked["reason"] == "bad_signature" and checked["dossier_id"] == "d1"
    assert verify(file, [{**keys[0], "municipality": "litija"}])["reason"] == "wrong_municipality"
    assert verify(file, [{**keys[0], "kid": "other-1"}])["reason"] == "unknown_key"
    assert verify(b"not json", keys) == {"valid": False, "reason": "unreadable"}
    assert verify(b'{"dossier": [], "signature": {"key_id": "x", "value": ""}}', keys)["reason"] == "unreadable"


def test_a_file_with_odd_values_is_read_without_failing():
    odd = {"dossier": {"dossier_id": {"x": 1}, "municipality": ["idrija"], "proposal": "no"},
           "signature": {"key_id": ["k"], "value": ""}}
    found = verify(json.dumps(odd).encode(), [])
    assert found["valid"] is False and found["dossier_id"] is None and found["municipality"] is None
