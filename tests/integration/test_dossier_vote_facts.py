"""The dossier states the vote as it was decided (issue 8, finding 4): the rules frozen when the vote
opened, the electorate (the register at opening), the turnout as a share of it, and the outcome."""
from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pypdf

from tests.support import eligible_residents, published_for_voting, register, staff_of, wait_status

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "dossier-schema.json").read_text())


def test_a_vote_with_its_own_quorum_and_tie_rule_is_described_by_those_rules(gateway):
    staff, author = staff_of(gateway), register(gateway)
    voters = eligible_residents(gateway, 3)
    pid = published_for_voting(author, staff, theme="health", competence="national")
    rules = staff.put(f"/proposals/{pid}/voting/rules", json={"quorum_ballots": 3, "tie": "adopted"})
    assert rules.status_code == 200, rules.text
    electorate = staff.get("/eligibility/register").json()["eligible"]
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    register(gateway, eligible=True)  # joins the register after the opening: not in this vote's electorate
    for voter, choice in zip(voters, ("yes", "no", "abstain"), strict=True):
        assert voter.put(f"/proposals/{pid}/ballot", json={"choice": choice}).status_code == 200
    closed = staff.post(f"/proposals/{pid}/voting/close")
    assert closed.status_code == 200, closed.text

    dossier = wait_status(author, pid, "mz", "acknowledged")
    document = staff.get(f"/dossiers/{dossier['id']}/json").json()["dossier"]
    jsonschema.validate(document, SCHEMA)
    assert document["vote"] == {
        "tally": {"yes": 1, "no": 1, "abstain": 1}, "ballots": 3, "electorate": electorate,
        "turnout": round(3 / electorate, 6), "quorum_needed": 3, "quorum_met": True, "tie": True,
        "outcome": "adopted",  # a tie, adopted because this vote's rules said so
        "rules": {"majority": "simple", "qualified_fraction": rules.json()["qualified_fraction"], "tie": "adopted",
                  "quorum_ballots": 3, "quorum_percent": 0.0, "electorate": "register_at_opening"}}
    assert "a tie is rejected" not in json.dumps(document)

    pdf = staff.get(f"/dossiers/{dossier['id']}/pdf")
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "a tie is adopted" in text and "a tie is rejected" not in text
    assert f"at least 3 ballots" in text and f"3 of {electorate}" in text
    assert "register at the opening" in text and "Turnout (ballots)" not in text
