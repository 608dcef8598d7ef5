"""A ballot is written within its deadline or not at all (voting.group_commit.BALLOT_SECONDS): a group
or a ballot cast alone that is still retrying after the gateway gave up on its request must not
write that older choice over the voter's newer one (test_crash_safety's kill found one such)."""
from __future__ import annotations

import time

import pytest

from services import db
from services.auth import Caller
from services.errors import DomainError
from tests.support import eligible_residents, published_for_voting, register, staff_of, user_id


@pytest.fixture()
def open_vote(platform, gateway):
    staff = staff_of(gateway)
    pid = published_for_voting(register(gateway), staff, competence="municipal", title="Rok za glasovnico")
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    voter = eligible_residents(gateway, 1)[0]
    db.connect("voting")  # this test process writes as the voting API does
    return pid, voter, Caller(user_id(voter), "resident", "idrija")


def test_a_ballot_past_its_deadline_is_not_written(open_vote):
    from voting import casting, group_commit
    from voting.ballot_write import ballot_ids
    from voting.store import Ballot

    pid, _, caller = open_vote
    ids = ballot_ids(caller, pid)
    late = time.monotonic() - 0.1
    assert group_commit.commit([group_commit.Pending(caller, pid, "yes", ids, late)]) == [None]
    with pytest.raises(DomainError) as refused:
        casting.cast_alone(caller, pid, "yes", late)
    assert refused.value.code == "unavailable"
    assert Ballot.objects(id=ids.ballot).first() is None

    in_time = time.monotonic() + 10
    assert group_commit.commit([group_commit.Pending(caller, pid, "no", ids, in_time)])[0]["choice"] == "no"
    assert Ballot.objects(id=ids.ballot).first().choice == "no"
