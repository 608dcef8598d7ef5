"""What a conclusion says about its vote (issue 8, finding 4), from the close to the dossier: the rules
frozen at opening, the electorate, turnout as a share of it, and the outcome those rules gave."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest

from forwarding import domain as forwarding
from services import events
from services.events import SYSTEM, encode, make_event, parse_event
from voting import domain as voting
from voting.domain import Rules, decide

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "dossier-schema.json").read_text())
T = lambda yes, no, abstain=0: {"yes": yes, "no": no, "abstain": abstain}  # noqa: E731
INSTITUTION = {"id": "uoim", "name": {"sl": "Urad", "en": "Office"}, "acronym": {"sl": "UOIM"}}


def _payload(tally: dict, rules: Rules, electorate: int | None, basis: str = voting.ELECTORATE_AT_OPENING) -> dict:
    decision = decide(tally, rules, electorate)
    return {"proposal_id": "p-1", "process_id": "proc", "title": "Tečaji slovenščine", "theme": "training",
            "competence": "national", "author_id": "u-1", "outcome": decision.outcome, "tally": tally,
            "ballots": decision.ballots, **voting.conclusion_facts(decision, rules, basis)}


@pytest.mark.parametrize("rules,electorate", [
    (Rules(), 10), (Rules(quorum_ballots=3), None), (Rules(quorum_percent=12.5), 17), (Rules(quorum_percent=50), 0),
    (Rules(quorum_ballots=5, quorum_percent=33.3), 10), (Rules(quorum_percent=100), 7)])
def test_the_quorum_needed_is_exactly_where_decide_draws_the_line(rules, electorate):
    needed = voting.quorum_needed(rules, electorate)
    for ballots in range(0, 25):
        met = decide(T(ballots, 0), rules, electorate).quorum_met
        assert met == (needed is not None and ballots >= needed), (ballots, needed)


def test_the_conclusion_carries_the_frozen_rules_electorate_and_turnout_share():
    rules = Rules(quorum_ballots=2, quorum_percent=20, majority="simple", tie="adopted")
    payload = _payload(T(3, 3, 1), rules, 30)
    assert payload["outcome"] == "adopted" and payload["tie"] is True  # the tie rule said adopted
    assert payload["rules"] == {"majority": "simple", "qualified_fraction": rules.qualified_fraction,
                                "tie": "adopted", "quorum_ballots": 2, "quorum_percent": 20.0,
                                "electorate": "register_at_opening"}
    assert payload["electorate"] == 30 and payload["turnout"] == round(7 / 30, 6) and payload["quorum_needed"] == 6
    event = make_event("voting.conclusion_reached", municipality="idrija", aggregate_id="p-1", actor=SYSTEM,
                       payload=payload)
    assert event["schema_version"] == 2 and parse_event(encode(event)) == event


def test_a_v2_conclusion_must_state_its_rules():
    payload = _payload(T(2, 1), Rules(), 10)
    del payload["rules"]
    with pytest.raises(ValueError, match="rules"):
        make_event("voting.conclusion_reached", municipality="idrija", aggregate_id="p-1", actor=SYSTEM,
                   payload=payload)


def test_a_v1_conclusion_is_upcast_with_what_it_said_and_nothing_it_did_not():
    v1 = {"proposal_id": "p-1", "process_id": "proc", "title": "t", "outcome": "adopted",
          "tally": T(2, 1), "ballots": 3, "competence": "national", "theme": "health", "author_id": "u-1",
          "electorate": 40, "turnout": 0.075, "quorum_met": True, "tie": False, "majority": "absolute"}
    raw = json.dumps({"event_id": str(uuid.uuid4()), "event_type": "voting.conclusion_reached",
                      "schema_version": 1, "occurred_at": "2026-01-05T10:00:00.000+00:00",
                      "municipality": "idrija", "aggregate_id": "p-1", "correlation_id": "c",
                      "causation_id": None, "actor": {"role": "system", "id": None}, "payload": v1}).encode()
    event = parse_event(raw)
    assert event["schema_version"] == events.CATALOGUE["voting.conclusion_reached"][0] == 2
    assert event["payload"]["rules"] == {"majority": "absolute", "qualified_fraction": None, "tie": None,
                                         "quorum_ballots": None, "quorum_percent": None,
                                         "electorate": "register_at_close"}  # v1 counted the register at close
    assert event["payload"]["electorate"] == 40 and event["payload"]["quorum_needed"] is None
    bare = {k: v for k, v in v1.items() if k not in ("electorate", "turnout", "quorum_met", "tie", "majority")}
    old = parse_event(raw.replace(json.dumps(v1).encode(), json.dumps(bare).encode()))
    assert old["payload"]["rules"]["electorate"] is None and old["payload"]["turnout"] is None


def _document(payload: dict) -> dict:
    return forwarding.build_document(dossier_id="a" * 24, municipality="idrija", conclusion=payload,
                                     institution=INSTITUTION, prepared_at="2026-03-01T10:00:00.000+00:00")


def test_the_dossier_states_the_vote_as_the_rules_decided_it():
    rules = Rules(quorum_ballots=4, quorum_percent=10, majority="absolute", tie="adopted")
    document = _document(_payload(T(5, 4, 1), rules, 80))
    jsonschema.validate(document, SCHEMA)
    assert document["schema"] == "civic.dossier/3"
    assert document["vote"] == {
        "tally": T(5, 4, 1), "ballots": 10, "electorate": 80, "turnout": 0.125, "quorum_needed": 8,
        "quorum_met": True, "tie": True, "outcome": "adopted",
        "rules": {"majority": "absolute", "qualified_fraction": rules.qualified_fraction, "tie": "adopted",
                  "quorum_ballots": 4, "quorum_percent": 10.0, "electorate": "register_at_opening"}}
    assert "a tie is rejected" not in json.dumps(document)


def test_a_dossier_from_an_upcast_v1_conclusion_says_what_is_not_known():
    payload = {"proposal_id": "p-1", "process_id": "proc", "title": "t", "outcome": "adopted", "tally": T(2, 1),
               "ballots": 3, "competence": "shared", "theme": "health", "author_id": "u-1"}
    upcast = events.UPCASTERS[("voting.conclusion_reached", 1)](payload)
    document = _document(upcast)
    jsonschema.validate(document, SCHEMA)
    assert document["vote"]["rules"]["tie"] is None and document["vote"]["electorate"] is None
    assert document["vote"]["turnout"] is None  # never the ballot count
