"""Outcome rules (quorum, majorities, ties), windows and receipts: voting/domain/ (outcome, states), no I/O."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.errors import Conflict, DomainError, Forbidden, status_for
from voting import domain
from voting.domain import Rules, decide

T = lambda yes, no, abstain=0: {"yes": yes, "no": no, "abstain": abstain}


@pytest.mark.parametrize("tally,rules,electorate,expected", [
    # quorum in ballots, abstentions count toward it
    (T(2, 0), Rules(quorum_ballots=3), None, "no_quorum"),
    (T(2, 0, 1), Rules(quorum_ballots=3), None, "adopted"),
    (T(0, 0), Rules(quorum_ballots=0), None, "no_quorum"),  # nobody voted: never a result
    # quorum as a share of the register
    (T(20, 10), Rules(quorum_percent=50), 100, "no_quorum"),
    (T(30, 20), Rules(quorum_percent=50), 100, "adopted"),
    (T(30, 20), Rules(quorum_percent=50), 0, "no_quorum"),  # an empty register cannot meet a share
    (T(30, 20), Rules(quorum_percent=50), None, "no_quorum"),
    # simple majority: abstentions do not count
    (T(2, 1, 10), Rules(), None, "adopted"),
    (T(1, 2, 10), Rules(), None, "rejected"),
    # absolute majority: more than half of all ballots, abstentions included
    (T(7, 1, 4), Rules(majority="absolute"), None, "adopted"),
    (T(6, 1, 5), Rules(majority="absolute"), None, "rejected"),  # exactly half: a tie
    (T(5, 1, 5), Rules(majority="absolute"), None, "rejected"),
    (T(5, 0, 5), Rules(majority="absolute"), None, "rejected"),  # a tie, rejected by default
    (T(5, 0, 5), Rules(majority="absolute", tie="adopted"), None, "adopted"),
    # qualified majority of yes + no
    (T(2, 1), Rules(majority="qualified"), None, "adopted"),  # exactly two thirds is enough
    (T(3, 2), Rules(majority="qualified"), None, "rejected"),
    (T(3, 1), Rules(majority="qualified", qualified_fraction=0.75), None, "adopted"),
    (T(2, 1), Rules(majority="qualified", qualified_fraction=0.75), None, "rejected"),
    (T(0, 0, 3), Rules(majority="qualified"), None, "rejected"),
    # ties under a simple majority
    (T(3, 3), Rules(), None, "rejected"),
    (T(3, 3), Rules(tie="adopted"), None, "adopted"),
    (T(0, 0, 4), Rules(tie="adopted"), None, "rejected"),  # nobody for it: never adopted
])
def test_decide(tally, rules, electorate, expected):
    assert decide(tally, rules, electorate).outcome == expected


def test_a_decision_reports_turnout_quorum_and_ties():
    decision = decide(T(3, 3, 1), Rules(), electorate=70)
    assert (decision.ballots, decision.electorate, decision.turnout) == (7, 70, 0.1)
    assert decision.quorum_met and decision.tie
    short = decide(T(1, 0), Rules(quorum_ballots=2), electorate=None)
    assert not short.quorum_met and short.turnout is None and not short.tie


def test_the_old_outcome_function_is_decide_with_a_ballot_quorum():
    assert domain.outcome(T(3, 3), 1) == "rejected" and domain.outcome(T(2, 0), 3) == "no_quorum"


@pytest.mark.parametrize("changes,field", [
    ({"majority": "loudest"}, "majority"), ({"tie": "coin"}, "tie"),
    ({"qualified_fraction": 0.4}, "qualified_fraction"), ({"quorum_percent": 101}, "quorum_percent"),
    ({"quorum_ballots": -1}, "quorum_ballots"), ({"support_threshold": -3}, "support_threshold"),
])
def test_invalid_rules_name_the_field(changes, field):
    with pytest.raises(DomainError) as caught:
        Rules().merged(changes)
    assert field in caught.value.errors["json"] and status_for(caught.value) == 422


def test_merged_rules_ignore_unknown_keys_and_keep_the_rest():
    rules = Rules(quorum_ballots=5).merged({"majority": "absolute", "colour": "red"})
    assert rules.quorum_ballots == 5 and rules.majority == "absolute"


def test_live_results_only_while_open_and_allowed():
    assert domain.check_results_visible("open", "resident", Rules(live_results=True))
    assert not domain.check_results_visible("open", "resident", Rules())
    assert domain.check_results_visible("open", "staff", Rules())
    assert not domain.check_results_visible("closed", "resident", Rules(live_results=True))


# --- windows -------------------------------------------------------------------------------------

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
LATER, EARLIER = NOW + timedelta(hours=1), NOW - timedelta(hours=1)


@pytest.mark.parametrize("status,opens,closes,expected", [
    ("published", EARLIER, LATER, "open"),
    ("published", LATER, None, None),
    ("published", None, EARLIER, None),  # never opened: the clock does not open it by closing
    ("published", EARLIER, EARLIER, "close"),  # both passed: opened, then closed next round
    ("open", EARLIER, EARLIER, "close"),
    ("open", EARLIER, LATER, None),
    ("open", None, None, None),
    ("closed", EARLIER, EARLIER, None),
])
def test_what_the_clock_does(status, opens, closes, expected):
    assert domain.due(status, opens, closes, NOW) == expected


def test_windows_close_after_they_open_and_in_the_future():
    domain.check_window("published", "staff", LATER, LATER + timedelta(hours=1), None, NOW)
    for opens, closes in ((LATER, LATER), (None, EARLIER)):
        with pytest.raises(DomainError) as caught:
            domain.check_window("published", "staff", opens, closes, None, NOW)
        assert "closes_at" in caught.value.errors["json"]
    with pytest.raises(DomainError):  # an open vote keeps its opening time
        domain.check_window("open", "staff", LATER, LATER + timedelta(hours=1), EARLIER, NOW)
    domain.check_window("open", "staff", None, LATER, EARLIER, NOW)  # but may be extended
    with pytest.raises(Forbidden):
        domain.check_window("published", "resident", None, LATER, None, NOW)
    with pytest.raises(Conflict):
        domain.check_window("closed", "staff", None, LATER, EARLIER, NOW)


# --- receipts ------------------------------------------------------------------------------------

def test_receipts_name_one_version_of_one_ballot_and_nothing_else():
    code = domain.receipt_code(b"k", "v1:abc", 1)
    assert code == domain.receipt_code(b"k", "v1:abc", 1) and len(code) == 19 and code.count("-") == 3
    others = {domain.receipt_code(b"k", "v1:abc", 2), domain.receipt_code(b"k", "v1:abd", 1),
              domain.receipt_code(b"other", "v1:abc", 1)}
    assert code not in others and len(others) == 3
    assert domain.receipt_digest(code) == domain.receipt_digest(f" {code.lower()} ")


# --- approval ballots ----------------------------------------------------------------------------

OPTIONS = ["cafe", "desk", "walks"]


def test_an_approval_ballot_selects_distinct_known_measures_up_to_the_maximum():
    assert domain.check_selections(["desk", "cafe"], OPTIONS, 2) == ["cafe", "desk"]
    assert domain.check_selections([], OPTIONS, 2) == []  # a blank ballot counts toward turnout
    for picks in (["cafe", "desk", "walks"], ["cafe", "cafe"], ["pool"]):
        with pytest.raises(DomainError) as caught:
            domain.check_selections(picks, OPTIONS, 2)
        assert "selections" in caught.value.errors["json"]


def test_approvals_move_with_a_changed_ballot_and_rank_in_paper_order_on_ties():
    tally = domain.apply_approval({}, ["cafe", "desk"], None)
    tally = domain.apply_approval(tally, ["walks"], ["desk"])
    assert tally == {"cafe": 1, "desk": 0, "walks": 1}
    assert domain.rank(tally, OPTIONS) == ["cafe", "walks", "desk"]
