"""The route table is the one declaration of the public API: every operation of the OpenAPI
document has exactly one row, the document keeps everything it had (operations, parameters,
bodies, answers, schemas), and docs/authorisation.md is the table as rendered."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateway.access import ROLES, render_markdown
from gateway.routes import ALL_OPERATIONS, CIVIC_KEYS
from tests.openapi_shape import METHODS, missing, shape

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def document(monkeypatch_module):
    from services import db

    monkeypatch_module.setattr(db, "ensure_indexes", lambda *models: None)  # no database in unit tests
    from gateway.app import create_app

    return create_app().test_client().get("/api/openapi.json").get_json()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_municipal_operations_carry_the_municipality_and_national_ones_do_not():
    national = {op.name for op in ALL_OPERATIONS if not op.municipal}
    assert {"register", "login", "list_institutions", "portal_reply", "tracker", "inbox",
            "create_municipality", "check_receipt"} <= national
    assert {"list_proposals", "cast_ballot", "moderation_queue", "dossier_pdf", "edit_proposal"}.isdisjoint(national)
    assert all(op.api_path.startswith("/m/{municipality}/") for op in ALL_OPERATIONS if op.municipal)


def test_every_operation_of_the_document_has_exactly_one_row(document):
    documented = {(method.upper(), path.removeprefix("/api/v1"), item[method].get("operationId"))
                  for path, item in document["paths"].items() for method in METHODS if method in item}
    rows = {(op.method, op.api_path, op.name) for op in ALL_OPERATIONS}
    assert documented == rows
    assert len({op.name for op in ALL_OPERATIONS}) == len(ALL_OPERATIONS)
    assert len({(op.method, op.path) for op in ALL_OPERATIONS}) == len(ALL_OPERATIONS)


def test_every_row_names_its_callers_and_is_documented_with_them(document):
    for op in ALL_OPERATIONS:
        assert op.access.roles and {role for role, _ in op.access.roles} <= set(ROLES), op.name
        entry = document["paths"]["/api/v1" + op.api_path][op.method.lower()]
        assert entry["summary"] == op.summary and entry["tags"] == [op.tag]
        assert ("security" in entry) != (len(op.access.roles) == len(ROLES)), op.name


def test_the_document_keeps_everything_it_had_before_the_table(document):
    before = json.loads((ROOT / "tests" / "unit" / "data" / "openapi-v1-shape.json").read_text())
    # Since municipalities are data, a municipal operation's path carries the municipality.
    moved = {f"{op.method} /api/v1{op.path}": f"{op.method} /api/v1{op.api_path}" for op in ALL_OPERATIONS}
    before["operations"] = {moved.get(key, key): op for key, op in before["operations"].items()}
    # flask-smorest's default "Error" schema never matched the answers (problem+json documents);
    # every error is now documented as the "Problem" schema instead.
    assert [lost for lost in missing(before, shape(document)) if lost != "schema Error"] == []
    assert "Problem" in document["components"]["schemas"]


def test_docs_authorisation_is_the_table_as_rendered():
    rendered = render_markdown([*ALL_OPERATIONS, CIVIC_KEYS])
    assert (ROOT / "docs" / "authorisation.md").read_text() == rendered, \
        "run: python -m gateway.routes > docs/authorisation.md"
