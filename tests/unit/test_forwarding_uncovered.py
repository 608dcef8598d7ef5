"""Routing rules (issue 8, finding 3): the seeded directory covers every national theme, and a
conclusion no institution covers waits for staff instead of being dropped."""
from __future__ import annotations

import pytest

from forwarding import domain
from forwarding.institutions import NATIONAL_BODIES
from proposals.domain import DEFAULT_THEMES, NATIONAL_THEMES

DIRECTORY = [{"id": code, "themes": themes} for code, _, _, themes, _, _ in NATIONAL_BODIES]


@pytest.mark.parametrize("theme", sorted({*NATIONAL_THEMES, *DEFAULT_THEMES}))
def test_the_seeded_directory_routes_every_theme_somewhere(theme):
    assert domain.route(theme, DIRECTORY), f"no seeded institution covers {theme!r}"


@pytest.mark.parametrize("theme,expected", [
    ("training", {"mvi", "zrsz"}), ("family", {"mddsz"}), ("rights", {"mnz", "uoim"}),
    ("intercultural", {"uoim"}), ("culture", {"mk"})])
def test_previously_uncovered_themes_go_to_real_bodies(theme, expected):
    assert {r["id"] for r in domain.route(theme, DIRECTORY)} == expected


def test_the_catch_all_is_the_government_office_for_migrants():
    uoim = next(body for body in NATIONAL_BODIES if body[0] == "uoim")
    assert uoim[1]["en"] == "Government Office for the Support and Integration of Migrants"
    # Every body escalates somewhere (the office itself is the last stop).
    assert all(escalation for code, *_, escalation in NATIONAL_BODIES if code != "uoim")


def test_a_conclusion_nobody_covers_needs_routing_by_staff():
    assert domain.routing_state([]) == domain.NEEDS_ROUTING
    assert domain.routing_state(domain.route("roma-community", DIRECTORY)) == domain.NEEDS_ROUTING
    assert domain.routing_state(domain.route("health", DIRECTORY)) == domain.ROUTED
