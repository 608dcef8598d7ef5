"""The running count's arithmetic and the sealed participant list (voting/counting.py, issue 8)."""
from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from services.events import PARTICIPANTS_PER_EVENT, SYSTEM, make_event
from voting import counting


@pytest.mark.parametrize("before,after,change", [
    (None, ["yes"], {"yes": 1}),                                   # a first ballot
    (["yes"], ["no"], {"yes": -1, "no": 1}),                       # a change of mind
    (["yes"], ["yes"], {}),                                        # the same again: nothing moves
    (["cafe", "desk"], ["desk", "m3"], {"cafe": -1, "m3": 1}),     # approval selections
    (None, [], {}),                                                # an empty approval ballot
])
def test_a_ballot_changes_the_count_by_what_it_replaces(before, after, change):
    assert counting.tally_change(before, after) == change


def test_the_sealed_voter_opens_only_for_its_own_ballot():
    sealed = counting.seal("vote-1:key", "u-1")
    assert "u-1" not in sealed and sealed != counting.seal("vote-1:key", "u-1")  # a fresh nonce each time
    assert counting.unseal("vote-1:key", sealed) == "u-1"
    with pytest.raises(InvalidTag):  # copied onto another ballot, it does not open
        counting.unseal("vote-1:other", sealed)


def test_participants_are_listed_in_parts_caused_by_the_close():
    closed = make_event("voting.voting_closed", municipality="idrija", aggregate_id="p-1", actor=SYSTEM,
                        payload={"proposal_id": "p-1", "ballots": 2500})
    who = sorted(f"u-{n:05d}" for n in range(2500))
    events = counting.participant_events(closed, "p-1", who)
    assert [len(e["payload"]["participants"]) for e in events] == [PARTICIPANTS_PER_EVENT, PARTICIPANTS_PER_EVENT, 500]
    assert [(e["payload"]["part"], e["payload"]["parts"]) for e in events] == [(1, 3), (2, 3), (3, 3)]
    assert [u for e in events for u in e["payload"]["participants"]] == who
    assert all(e["causation_id"] == closed["event_id"] and e["aggregate_id"] == "p-1" for e in events)
    assert counting.participant_events(closed, "p-1", []) == []  # nobody voted: nothing to list
