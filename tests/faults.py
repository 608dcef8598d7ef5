"""A steady flow of proposals, comments, ballots and a dossier, with a fault in the middle of it,
and the checks that nothing a person was told was accepted is lost or doubled (tests/integration's
fault tests: the broker's, the database's, each API's and each worker's).

A request answered 2xx must be stored exactly once. One answered otherwise (503 while a part is down,
say) may or may not have been stored, as the person was told; it must not be stored twice. Ballots
are PUTs, so residents send theirs again until one is accepted, as a browser's "try again" would."""
from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pymongo
import requests

from services.settings import get_settings
from tests.support import PROCESS, eligible_residents, outboxes_drained, poll, published_for_voting, register, staff_of

RESIDENTS = 12
PROPOSAL_EVERY_SECONDS = 0.5


@dataclass
class Flow:
    """What was sent and what was answered 2xx during one fault."""

    proposals_sent: list[str] = field(default_factory=list)  # titles
    proposals_accepted: list[str] = field(default_factory=list)
    comments_sent: list[str] = field(default_factory=list)  # bodies
    comments_accepted: list[str] = field(default_factory=list)
    ballots_accepted: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # non-2xx answers and failures, by status
    first_accepted_after_mend: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, response_or_error) -> bool:
        status = getattr(response_or_error, "status_code", type(response_or_error).__name__)
        if isinstance(status, int) and status < 300:
            return True
        with self.lock:
            self.refused[str(status)] = self.refused.get(str(status), 0) + 1
        return False


def _send(client, method: str, path: str, **kwargs):
    try:
        return client.request(method, path, **kwargs)
    except requests.RequestException as exc:  # the gateway itself is down
        return exc


def _proposals(flow: Flow, author, stop: threading.Event, mended: threading.Event, marker: str) -> None:
    """An author's proposal every PROPOSAL_EVERY_SECONDS, until `stop`."""
    while not stop.wait(PROPOSAL_EVERY_SECONDS):
        title = f"Predlog {marker} {len(flow.proposals_sent) + 1:03d}"
        flow.proposals_sent.append(title)
        answer = _send(author, "POST", "/proposals", json={
            "process_id": PROCESS, "title": title, "theme": "housing", "language": "sl",
            "summary": "Skupna stanovanja za mlade družine, ki so se priselile v Idrijo."})
        if flow.answered(answer):
            flow.proposals_accepted.append(title)
            if mended.is_set() and flow.first_accepted_after_mend is None:
                flow.first_accepted_after_mend = time.monotonic()


def _resident(flow: Flow, resident, pid: str, marker: str, number: int) -> None:
    """One comment (sent once), and a ballot sent again until it is accepted (within 120 s)."""
    body = f"Tudi jaz sem za ({marker}, {number})."
    flow.comments_sent.append(body)
    if flow.answered(_send(resident, "POST", f"/proposals/{pid}/comments", json={"body": body, "alignment": "for"})):
        with flow.lock:
            flow.comments_accepted.append(body)
    poll(lambda: flow.answered(_send(resident, "PUT", f"/proposals/{pid}/ballot", json={"choice": "yes"})), 120,
         "a ballot to be accepted", interval=0.5)  # the resident's "try again", every half second
    with flow.lock:
        flow.ballots_accepted += 1


def _database(service: str):
    settings = get_settings()
    client = pymongo.MongoClient(settings.mongo_uri, serverSelectionTimeoutMS=10000)
    return client, client[settings.database(service)]


def dead_letters(platform) -> float:
    """Messages parked on dead-letter topics so far, by every service's workers."""
    total = 0.0
    for service in ("proposals", "voting", "notifications", "forwarding", "gateway"):
        text = requests.get(f"{platform.url(service)}/metrics", timeout=10).text
        total += sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                     if line.startswith("civic_dead_letters_total"))
    return total


def run(platform, gateway: str, fault, what: str, mend=lambda: None, marker: str | None = None) -> dict:
    """Residents comment and vote and an author submits proposals; half way, `fault`; then `mend`;
    staff close the vote into a dossier to the ministry. Asserts the guarantees; returns the figures."""
    marker = marker or uuid.uuid4().hex[:8]
    staff, author = staff_of(gateway), register(gateway)
    pid = published_for_voting(author, staff, theme="health", competence="national",
                               title=f"Tolmači v zdravstvenih domovih ({what})")
    residents = eligible_residents(gateway, RESIDENTS)
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    dead_before = dead_letters(platform)
    flow, stop, mended = Flow(), threading.Event(), threading.Event()
    submitting = threading.Thread(target=_proposals, args=(flow, author, stop, mended, marker))
    submitting.start()
    try:
        with ThreadPoolExecutor(4) as pool:
            half = len(residents) // 2
            list(pool.map(lambda item: _resident(flow, item[1], pid, marker, item[0]), enumerate(residents[:half])))
            poll(lambda: len(flow.proposals_accepted) >= 3, 30, "proposals to flow before the fault")
            faulted = time.monotonic()
            fault()
            later = [pool.submit(_resident, flow, r, pid, marker, n) for n, r in enumerate(residents[half:], half)]
            mend()
            mended_at = time.monotonic()
            mended.set()
            for done in later:
                done.result()
        accepted_at_mend = len(flow.proposals_accepted)
        poll(lambda: flow.first_accepted_after_mend is not None, 60, "a proposal to be accepted after the mend")
        poll(lambda: len(flow.proposals_accepted) >= accepted_at_mend + 3, 60, "proposals to flow after the mend")
    finally:
        stop.set()
        submitting.join()
    poll(lambda: staff.post(f"/proposals/{pid}/voting/close").status_code == 200, 60, "the vote to close")
    try:
        poll(lambda: _recounted(staff, pid, len(flow.comments_accepted)), 120, "the projections to equal the recounts")
    except AssertionError as exc:
        raise AssertionError(f"after {what}, the projections differ from the recounts: {_last_recount}") from exc
    converged_at = time.monotonic()
    _stored_once(flow, pid)
    assert staff.get(f"/proposals/{pid}/results").json()["tally"]["yes"] == flow.ballots_accepted == len(residents)
    copies = poll(lambda: _dossiers_at_ministry(platform, pid), 120, "the dossier to reach the ministry")
    assert len(copies) == 1, f"the ministry holds {len(copies)} copies of the dossier"
    assert dead_letters(platform) == dead_before, "no event went to a dead-letter topic"
    figures = {"fault": what, "proposals": f"{len(flow.proposals_accepted)}/{len(flow.proposals_sent)}",
               "comments": f"{len(flow.comments_accepted)}/{len(flow.comments_sent)}",
               "ballots": flow.ballots_accepted, "refused": dict(sorted(flow.refused.items())),
               "lost": 0, "doubled": 0,
               "first_2xx_after_mend_s": round(flow.first_accepted_after_mend - mended_at, 1),
               "converged_after_mend_s": round(converged_at - mended_at, 1),
               "in_all_s": round(converged_at - faulted, 1)}
    print(f"fault figures: {figures}")
    return figures


def _recounted(staff, pid: str, comments_accepted: int) -> bool:
    """The outboxes are drained, and the proposals service's comment count (a projection of voting's
    events) equals a recount of voting's comments, as does the tally of the ballots stored."""
    _last_recount["outboxes_drained"] = outboxes_drained()
    client, voting = _database("voting")
    with client:
        stored_comments = voting.comments.count_documents({"vote_id": pid})
        stored_ballots = voting.ballots.count_documents({"vote_id": pid})
    shown = staff.get(f"/proposals/{pid}").json()
    results = staff.get(f"/proposals/{pid}/results").json()
    _last_recount.update(comments_accepted=comments_accepted, comments_stored=stored_comments,
                         comments_shown=shown.get("comments"), status=results.get("status"),
                         tally=(results.get("tally") or {}).get("yes"), ballots_stored=stored_ballots)
    return (_last_recount["outboxes_drained"] and stored_comments >= comments_accepted and shown.get("comments") == stored_comments
            and results.get("status") == "closed" and results["tally"]["yes"] == stored_ballots)


_last_recount: dict = {}


def _stored_once(flow: Flow, pid: str) -> None:
    """Every accepted proposal and comment is stored once; none that was sent is stored twice."""
    client, proposals = _database("proposals")
    with client:
        titles = [row["title"] for row in proposals.proposals.find(
            {"title": {"$in": flow.proposals_sent}}, {"title": 1})]
    client, voting = _database("voting")
    with client:
        bodies = [row["body"] for row in voting.comments.find({"vote_id": pid}, {"body": 1})]
    for sent, accepted, stored, kind in ((flow.proposals_sent, flow.proposals_accepted, titles, "proposal"),
                                         (flow.comments_sent, flow.comments_accepted, bodies, "comment")):
        assert all(stored.count(item) == 1 for item in accepted), f"an accepted {kind} was lost or doubled"
        assert all(stored.count(item) <= 1 for item in sent), f"a {kind} was stored twice"


def _dossiers_at_ministry(platform, pid: str) -> list:
    received = requests.get(f"{platform.url('institution')}/_received", timeout=10).json()["dossiers"]
    return [d for d in received if d["document"]["dossier"]["proposal"]["id"] == pid] or None
