"""Pure rules of forwarding (forwarding/domain.py)."""
from __future__ import annotations

import copy
import hashlib
import json

import pytest

from forwarding import domain

OUTCOMES = ("adopted", "rejected", "no_quorum")
COMPETENCES = ("municipal", "national", "shared")


# --- needs_forwarding ----------------------------------------------------------

@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize("competence", COMPETENCES)
def test_needs_forwarding_matrix(outcome, competence):
    expected = outcome == "adopted" and competence in ("national", "shared")
    assert domain.needs_forwarding(outcome, competence) is expected


# --- route ---------------------------------------------------------------------

INSTITUTIONS = [
    {"id": "mddsz", "name": "Ministrstvo za delo", "themes": ["employment", "inclusion"]},
    {"id": "mz", "name": "Ministrstvo za zdravje", "themes": ["health"]},
    {"id": "mvi", "name": "Ministrstvo za vzgojo", "themes": ["education"]},
    {"id": "mop", "name": "Ministrstvo za okolje", "themes": ["housing"]},
    {"id": "ess", "name": "Zavod za zaposlovanje", "themes": ["employment"]},
]


def test_route_to_one_institution():
    assert domain.route("health", INSTITUTIONS) == [INSTITUTIONS[1]]


def test_route_to_several_institutions_sorted_by_id():
    routed = domain.route("employment", INSTITUTIONS)
    assert [i["id"] for i in routed] == ["ess", "mddsz"]
    assert routed[0] is INSTITUTIONS[4]


@pytest.mark.parametrize("theme", ["transport", "", "Health"])
def test_route_to_no_institution(theme):
    assert domain.route(theme, INSTITUTIONS) == []


def test_route_with_no_institutions_known():
    assert domain.route("health", []) == []


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 4, 0, 3, 1]])
def test_route_order_does_not_depend_on_input_order(order):
    institutions = [INSTITUTIONS[i] for i in order]
    assert [i["id"] for i in domain.route("employment", institutions)] == ["ess", "mddsz"]


# --- dossier, canonical JSON, digest -----------------------------------------------

CONCLUSION = {
    "proposal_id": "p-1", "process_id": "idrija-vkljucujoca", "title": "Več stanovanj za mlade",
    "theme": "housing", "competence": "shared", "outcome": "adopted",
    "tally": {"yes": 7, "no": 2, "abstain": 1}, "ballots": 10,
}
INSTITUTION = {"id": "mop", "name": "Ministrstvo za okolje in prostor", "themes": ["housing"]}


def _dossier(**overrides):
    fields = dict(dossier_id="d-1", municipality="idrija", conclusion=CONCLUSION,
                  institution=INSTITUTION, prepared_at="2025-05-01T10:00:00.000+00:00")
    fields.update(overrides)
    return domain.build_dossier(**fields)


def test_build_dossier_shape():
    assert _dossier() == {
        "schema": "civic.dossier/1",
        "dossier_id": "d-1",
        "prepared_at": "2025-05-01T10:00:00.000+00:00",
        "municipality": "idrija",
        "institution": {"id": "mop", "name": "Ministrstvo za okolje in prostor"},
        "proposal": {"id": "p-1", "process_id": "idrija-vkljucujoca",
                     "title": "Več stanovanj za mlade", "theme": "housing"},
        "competence": "shared",
        "outcome": "adopted",
        "tally": {"yes": 7, "no": 2, "abstain": 1},
        "ballots": 10,
    }


def test_canonical_json_is_sorted_compact_and_keeps_slovene_letters():
    raw = domain.canonical({"b": "čšž ČŠŽ", "a": [1, {"z": 1, "y": 2}]})
    assert raw == '{"a":[1,{"y":2,"z":1}],"b":"čšž ČŠŽ"}'.encode("utf-8")
    assert b"\\u" not in raw
    assert "č".encode() in raw and "š".encode() in raw and "ž".encode() in raw


def test_digest_is_sha256_of_the_canonical_json():
    dossier = _dossier()
    assert domain.digest(dossier) == hashlib.sha256(domain.canonical(dossier)).hexdigest()
    expected = hashlib.sha256('{"a":"č","b":1}'.encode("utf-8")).hexdigest()
    assert domain.digest({"b": 1, "a": "č"}) == expected
    # An ASCII-escaping encoder would give another digest.
    escaped = hashlib.sha256(json.dumps({"a": "č", "b": 1}, sort_keys=True,
                                        separators=(",", ":")).encode()).hexdigest()
    assert domain.digest({"a": "č", "b": 1}) != escaped


def test_digest_is_deterministic_and_independent_of_key_order():
    first = _dossier()
    reordered = dict(reversed(list(copy.deepcopy(first).items())))
    assert domain.digest(first) == domain.digest(_dossier()) == domain.digest(reordered)
    assert len(domain.digest(first)) == 64


@pytest.mark.parametrize("path,value", [
    (("schema",), "civic.dossier/2"),
    (("dossier_id",), "d-2"),
    (("prepared_at",), "2025-05-01T10:00:00.001+00:00"),
    (("municipality",), "litija"),
    (("institution", "id"), "mz"),
    (("institution", "name"), "Ministrstvo za okolje in prostor "),
    (("proposal", "id"), "p-2"),
    (("proposal", "process_id"), "other"),
    (("proposal", "title"), "Vec stanovanj za mlade"),   # č -> c
    (("proposal", "theme"), "health"),
    (("competence",), "national"),
    (("outcome",), "rejected"),
    (("tally", "yes"), 8),
    (("tally", "no"), 3),
    (("tally", "abstain"), 0),
    (("ballots",), 11),
])
def test_digest_changes_when_any_field_changes(path, value):
    original = _dossier()
    changed = copy.deepcopy(original)
    target = changed
    for key in path[:-1]:
        target = target[key]
    assert target[path[-1]] != value
    target[path[-1]] = value
    assert domain.digest(changed) != domain.digest(original)


def test_dossier_id_is_deterministic():
    assert domain.dossier_id("p-1", "mop") == domain.dossier_id("p-1", "mop")
    assert domain.dossier_id("p-1", "mop") == hashlib.sha256(b"p-1|mop").hexdigest()[:24]


def test_dossier_id_is_distinct_per_institution_and_proposal():
    ids = {domain.dossier_id(p, i) for p in ("p-1", "p-2") for i in ("mop", "mz", "ess")}
    assert len(ids) == 6
    for did in ids:
        assert len(did) == 24 and all(c in "0123456789abcdef" for c in did)


# --- retries -------------------------------------------------------------------

@pytest.mark.parametrize("attempt", [0, 1, 2, 5, 10, 30])
def test_backoff_lower_bound_is_the_base(attempt):
    assert domain.backoff_seconds(attempt, 2.0, rng=lambda: 0.0) == 2.0


@pytest.mark.parametrize("attempt,expected", [
    (0, 2.0), (1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0), (11, 2048.0),
    (12, 3600.0), (13, 3600.0), (40, 3600.0),   # default cap of one hour
])
def test_backoff_upper_bound_doubles_then_caps(attempt, expected):
    assert domain.backoff_seconds(attempt, 2.0, rng=lambda: 1.0) == expected


@pytest.mark.parametrize("attempt,cap,expected", [(4, 5.0, 5.0), (3, 5.0, 4.0), (10, 30.0, 30.0), (2, 30.0, 2.0)])
def test_backoff_respects_a_given_cap(attempt, cap, expected):
    assert domain.backoff_seconds(attempt, 1.0, cap=cap, rng=lambda: 1.0) == expected


def test_backoff_jitter_is_uniform_between_the_bounds():
    # base 2, attempt 3: ceiling 8; rng 0.5 -> halfway between 2 and 8
    assert domain.backoff_seconds(3, 2.0, rng=lambda: 0.5) == 5.0
    assert domain.backoff_seconds(3, 2.0, rng=lambda: 0.25) == 3.5


def test_backoff_with_the_default_rng_stays_within_bounds():
    for _ in range(200):
        assert 1.0 <= domain.backoff_seconds(4, 1.0) <= 8.0


@pytest.mark.parametrize("attempt,max_attempts,expected", [
    (1, 6, "failed"), (5, 6, "failed"), (6, 6, "abandoned"), (7, 6, "abandoned"),
    (1, 1, "abandoned"), (0, 1, "failed"),
])
def test_after_failure(attempt, max_attempts, expected):
    assert domain.after_failure(attempt, max_attempts) == expected


def test_backoff_never_exceeds_its_cap_even_with_a_large_base_or_attempt():
    assert domain.backoff_seconds(3, 10.0, cap=5.0, rng=lambda: 0) <= 5.0
    assert domain.backoff_seconds(5000, 1.0, cap=60.0, rng=lambda: 1) == 60.0
