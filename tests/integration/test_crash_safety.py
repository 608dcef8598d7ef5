"""A crash at any point loses nothing and duplicates nothing: SIGKILL the workers mid-stream."""
from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support import assert_no_tally_alarm, eligible_residents, poll, published_for_voting, register, staff_of

pytestmark = pytest.mark.slow


def test_voting_worker_killed_mid_stream_leaves_the_tally_exact(platform, gateway):
    staff = staff_of(gateway)
    author = register(gateway)
    pid = published_for_voting(author, staff, theme="inclusion", competence="municipal")
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    voters = eligible_residents(gateway, 80)

    rng = random.Random(7)
    stream = [(voter, rng.choice(("yes", "no", "abstain"))) for voter in voters]
    stream += [(rng.choice(voters), rng.choice(("yes", "no", "abstain"))) for _ in range(200 - len(stream))]
    rng.shuffle(stream)

    def cast(item):
        voter, choice = item
        answer = voter.put(f"/proposals/{pid}/ballot", json={"choice": choice})
        assert answer.status_code == 200, answer.text
        return voter.email, choice

    final: dict[str, str] = {}
    with ThreadPoolExecutor(4) as pool:  # 4 voters at a time; one voter's ballots stay in order
        by_voter: dict[str, list] = {}
        for voter, choice in stream:
            by_voter.setdefault(voter.email, []).append((voter, choice))
        first, second = list(by_voter.values())[:40], list(by_voter.values())[40:]
        for email, choice in pool.map(lambda items: [cast(i) for i in items][-1], first):
            final[email] = choice
        platform.kill("voting-worker")  # SIGKILL while events are still flowing
        for email, choice in pool.map(lambda items: [cast(i) for i in items][-1], second):
            final[email] = choice
    live_at_restart = staff.get(f"/proposals/{pid}/results").json()["live_tally"]
    platform.start_worker("voting")

    expected = {c: sum(1 for v in final.values() if v == c) for c in ("yes", "no", "abstain")}
    assert sum(expected.values()) == 80 and sum(len(v) for v in by_voter.values()) == 200
    # The running count is kept by the ballots' own transactions (issue 8), not by the worker: a dead
    # worker cannot interrupt it.
    assert live_at_restart == expected, "the running count should not depend on the voting worker"
    poll(lambda: staff.get(f"/proposals/{pid}/results").json()["live_tally"] == expected, 60,
         f"the live tally to converge to {expected}")
    closed = staff.post(f"/proposals/{pid}/voting/close")
    assert closed.status_code == 200, closed.text
    results = staff.get(f"/proposals/{pid}/results").json()
    assert results["tally"] == expected and results["ballots"] == 80
    # The worker checks the live count against the recount at close: no alarm was raised.
    assert_no_tally_alarm(platform, pid)


def test_voting_api_killed_during_group_commits_loses_and_doubles_no_ballot(platform, gateway):
    """SIGKILL the voting API while groups of ballots commit: every answered ballot is stored once,
    its receipt holds, and the tally at the close is exactly the voters' last choices."""
    staff, author = staff_of(gateway), register(gateway)
    pid = published_for_voting(author, staff, theme="employment", competence="municipal")
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    voters = eligible_residents(gateway, 48)
    choices = ("yes", "no", "abstain", "yes", "no")
    accepted: dict[str, list[str]] = {}  # voter -> receipts of their answered ballots
    lock = threading.Lock()
    half = threading.Event()

    def accepted_ballot(voter, choice):
        try:
            answer = voter.put(f"/proposals/{pid}/ballot", json={"choice": choice})
        except requests.RequestException:
            return None  # no answer: the voter tries again
        assert answer.status_code < 500 or answer.status_code in (502, 503, 504), answer.text
        return answer.json() if answer.status_code == 200 else None

    def vote(number_and_voter):
        number, voter = number_and_voter
        for n in range(len(choices)):
            choice = choices[(number + n) % len(choices)]
            receipt = poll(lambda: accepted_ballot(voter, choice), 120, "a ballot to be accepted", interval=0.2)
            assert receipt["choice"] == choice
            with lock:
                accepted.setdefault(voter.email, []).append(receipt["receipt"])
                if sum(map(len, accepted.values())) >= 60:
                    half.set()
        return voter.email, choice

    with ThreadPoolExecutor(16) as pool:
        final_choices = pool.map(vote, enumerate(voters))
        assert half.wait(120), "ballots did not flow"
        platform.kill("voting-api")  # SIGKILL with groups in flight
        proc = platform.restart("voting-api")
        proc.wait_until(lambda: requests.get(f"{platform.url('voting')}/readyz", timeout=2).ok, 60, "/readyz ready")
        final = dict(final_choices)
    groups = [line for line in requests.get(f"{platform.url('voting')}/metrics", timeout=5).text.splitlines()
              if line.startswith("civic_ballot_group_size_bucket")]
    alone = next(float(line.split()[-1]) for line in groups if 'le="1.0"' in line)
    every = next(float(line.split()[-1]) for line in groups if 'le="+Inf"' in line)
    assert every > alone, "after the restart, no group of two or more ballots committed"

    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
    results = staff.get(f"/proposals/{pid}/results").json()
    expected = {c: sum(1 for v in final.values() if v == c) for c in ("yes", "no", "abstain")}
    assert results["tally"] == expected and results["ballots"] == len(voters)
    for receipts in accepted.values():  # the last answered receipt of each voter counts; none is lost
        states = [requests.get(f"{gateway}/api/v1/receipts/{code}", timeout=10).json()["state"] for code in receipts]
        assert states[-1] == "counted", states
        assert all(state in ("counted", "superseded") for state in states), states
    assert_no_tally_alarm(platform, pid)


def _copies(platform, proposal_id):
    received = requests.get(f"{platform.url('institution')}/_received", timeout=10).json()
    return received["deliveries"], [d for d in received["dossiers"]
                                    if d["document"]["dossier"]["proposal"]["id"] == proposal_id]


def _control(platform, **settings):
    return requests.post(f"{platform.url('institution')}/_control", json=settings, timeout=10).json()


def test_forwarding_worker_killed_mid_dispatch_delivers_exactly_one_copy(platform, gateway):
    staff = staff_of(gateway)
    author = register(gateway)
    voter = register(gateway, eligible=True)
    pid = published_for_voting(author, staff, theme="health", competence="shared")
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    assert voter.put(f"/proposals/{pid}/ballot", json={"choice": "yes"}).status_code == 200

    before = _control(platform, delay=2.0)["deliveries"]  # the ministry answers slowly
    try:
        assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
        poll(lambda: _copies(platform, pid)[0] > before, 30, "the dispatch to reach the institution")
        platform.kill("forwarding-worker")  # SIGKILL while the request is in flight
    finally:
        _control(platform, delay=0)
    poll(lambda: _copies(platform, pid)[1], 10, "the in-flight request to complete at the institution")
    status = author.get(f"/proposals/{pid}/forwarding").json()["dossiers"][0]["status"]
    assert status == "dispatching", "the worker died before it could record the acknowledgement"

    platform.start_worker("forwarding")
    dossier = poll(lambda: (d := author.get(f"/proposals/{pid}/forwarding").json()["dossiers"][0])
                   ["status"] == "acknowledged" and d, 60, "the restarted worker to get the acknowledgement")
    copies = _copies(platform, pid)[1]
    assert len(copies) == 1, "the institution must hold exactly one copy"
    assert copies[0]["deliveries"] == 2, "the dossier was delivered again after the crash"
    assert dossier["receipt"] == copies[0]["receipt"] and dossier["attempts"] == 2
