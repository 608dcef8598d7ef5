"""Pure rules of votes (the voting/domain package)."""
from __future__ import annotations

import pytest

from services.errors import Conflict, Forbidden, status_for
from voting import domain

STATUSES = ("published", "open", "closed")
NON_STAFF = ("resident", "institution", "anonymous", "system")
NON_RESIDENT = ("staff", "institution", "anonymous", "system")


def test_empty_tally_has_every_choice_at_zero():
    assert domain.empty_tally() == {"yes": 0, "no": 0, "abstain": 0}
    first, second = domain.empty_tally(), domain.empty_tally()
    first["yes"] += 1
    assert second["yes"] == 0  # a fresh dict each time


# --- open --------------------------------------------------------------------

def test_staff_open_a_published_vote():
    assert domain.check_can_open("published", "staff") is None


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", NON_STAFF)
def test_only_staff_open(status, role):
    with pytest.raises(Forbidden) as caught:
        domain.check_can_open(status, role)
    assert caught.value.code == "forbidden"


@pytest.mark.parametrize("status", ["open", "closed"])
def test_a_vote_is_opened_only_once(status):
    with pytest.raises(Conflict) as caught:
        domain.check_can_open(status, "staff")
    assert caught.value.code == "wrong_state"
    assert status_for(caught.value) == 409


# --- close -------------------------------------------------------------------

def test_staff_close_an_open_vote():
    assert domain.check_can_close("open", "staff") is None


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", NON_STAFF)
def test_only_staff_close(status, role):
    with pytest.raises(Forbidden) as caught:
        domain.check_can_close(status, role)
    assert caught.value.code == "forbidden"


@pytest.mark.parametrize("status", ["published", "closed"])
def test_only_an_open_vote_is_closed(status):
    with pytest.raises(Conflict) as caught:
        domain.check_can_close(status, "staff")
    assert caught.value.code == "wrong_state"


# --- cast --------------------------------------------------------------------

def test_residents_cast_on_an_open_vote():
    assert domain.check_can_cast("open", "resident") is None


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", NON_RESIDENT)
def test_only_residents_cast(status, role):
    with pytest.raises(Forbidden) as caught:
        domain.check_can_cast(status, role)
    assert caught.value.code == "forbidden"


def test_casting_on_a_closed_vote_has_the_closed_code():
    with pytest.raises(Conflict) as caught:
        domain.check_can_cast("closed", "resident")
    assert caught.value.code == "closed"  # not the generic wrong_state of open/close
    assert caught.value.message == "Voting on this proposal has closed."
    assert status_for(caught.value) == 409


def test_casting_before_the_vote_opens_says_it_is_not_open():
    with pytest.raises(Conflict) as caught:
        domain.check_can_cast("published", "resident")
    assert caught.value.code == "not_open"  # distinct from "closed": clients can tell them apart
    assert caught.value.message == "Voting on this proposal has not opened yet."
    assert status_for(caught.value) == 409


# --- apply_ballot ------------------------------------------------------------

@pytest.mark.parametrize("choice", ["yes", "no", "abstain"])
def test_a_first_ballot_adds_one(choice):
    tally = domain.apply_ballot(domain.empty_tally(), choice, None)
    assert tally == {**domain.empty_tally(), choice: 1}


@pytest.mark.parametrize("choice,replaced,expected", [
    ("no", "yes", {"yes": 2, "no": 2, "abstain": 1}),
    ("yes", "no", {"yes": 4, "no": 0, "abstain": 1}),
    ("abstain", "yes", {"yes": 2, "no": 1, "abstain": 2}),
    ("yes", "abstain", {"yes": 4, "no": 1, "abstain": 0}),
])
def test_a_changed_ballot_moves_one_count(choice, replaced, expected):
    before = {"yes": 3, "no": 1, "abstain": 1}
    after = domain.apply_ballot(before, choice, replaced)
    assert after == expected
    assert sum(after.values()) == sum(before.values())


def test_apply_ballot_does_not_mutate_the_given_tally():
    before = {"yes": 3, "no": 1, "abstain": 1}
    domain.apply_ballot(before, "no", "yes")
    assert before == {"yes": 3, "no": 1, "abstain": 1}


def test_replacing_a_choice_with_itself_leaves_the_tally_unchanged():
    before = {"yes": 3, "no": 1, "abstain": 1}
    assert domain.apply_ballot(before, "yes", "yes") == before


# --- outcome -----------------------------------------------------------------

@pytest.mark.parametrize("tally,quorum,expected", [
    # quorum
    ({"yes": 0, "no": 0, "abstain": 0}, 0, "no_quorum"),   # nobody voted: never a result
    ({"yes": 0, "no": 0, "abstain": 0}, 1, "no_quorum"),
    ({"yes": 2, "no": 0, "abstain": 0}, 3, "no_quorum"),
    ({"yes": 2, "no": 0, "abstain": 1}, 3, "adopted"),     # abstentions count toward quorum
    ({"yes": 1, "no": 0, "abstain": 0}, 0, "adopted"),
    ({"yes": 1, "no": 0, "abstain": 0}, 1, "adopted"),
    ({"yes": 5, "no": 4, "abstain": 0}, 10, "no_quorum"),
    # majority
    ({"yes": 5, "no": 4, "abstain": 0}, 9, "adopted"),
    ({"yes": 4, "no": 5, "abstain": 0}, 9, "rejected"),
    # a tie is rejected
    ({"yes": 3, "no": 3, "abstain": 0}, 1, "rejected"),
    ({"yes": 0, "no": 0, "abstain": 4}, 1, "rejected"),
    # abstentions do not count for the majority
    ({"yes": 2, "no": 1, "abstain": 10}, 1, "adopted"),
    ({"yes": 1, "no": 2, "abstain": 10}, 1, "rejected"),
    ({"yes": 2, "no": 2, "abstain": 9}, 1, "rejected"),
])
def test_outcome(tally, quorum, expected):
    assert domain.outcome(tally, quorum) == expected
