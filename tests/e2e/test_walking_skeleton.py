"""A resident's proposal travels through all five services to a ministry's inbox,
driven only through the gateway's public HTTP API."""
from __future__ import annotations

import hashlib
import hmac
import json

import requests

from services.local.smtp_server import read_mailbox
from services.settings import get_settings
from tests.support import poll, register, staff_of


def institution_copies(platform, proposal_id: str) -> list[dict]:
    received = requests.get(f"{platform.url('institution')}/_received", timeout=10).json()["dossiers"]
    return [d for d in received if d["document"]["dossier"]["proposal"]["id"] == proposal_id]


def test_proposal_travels_from_resident_to_ministry(platform, gateway):
    author = register(gateway, language="en")
    staff = staff_of(gateway)
    voters = [register(gateway, eligible=True) for _ in range(3)]

    proposal = author.submit(title="Employment counselling in Albanian and Ukrainian",
                             summary="Weekly counselling hours at the employment office, with interpreters.",
                             theme="employment")
    pid = proposal["id"]
    assert proposal["status"] == "pending"

    approved = staff.post(f"/proposals/{pid}/moderation", json={"decision": "approve", "competence": "national"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "published"

    opened = poll(lambda: (r := staff.post(f"/proposals/{pid}/voting/open")).status_code == 200 and r,
                  30, "voting to open once the voting service knows the proposal")
    assert opened.json()["status"] == "open"

    assert voters[0].put(f"/proposals/{pid}/ballot", json={"choice": "no"}).status_code == 200
    changed = voters[0].put(f"/proposals/{pid}/ballot", json={"choice": "yes"})  # changes their mind
    assert changed.json().items() >= {"proposal_id": pid, "choice": "yes", "changed": True}.items()
    assert voters[1].put(f"/proposals/{pid}/ballot", json={"choice": "yes"}).status_code == 200
    assert voters[1].put(f"/proposals/{pid}/ballot", json={"choice": "yes"}).status_code == 200  # again
    assert voters[2].put(f"/proposals/{pid}/ballot", json={"choice": "no"}).status_code == 200

    closed = staff.post(f"/proposals/{pid}/voting/close")
    assert closed.status_code == 200, closed.text
    results = author.get(f"/proposals/{pid}/results").json()
    assert results["tally"] == {"yes": 2, "no": 1, "abstain": 0}
    assert results["outcome"] == "adopted" and results["ballots"] == 3

    copies = poll(lambda: institution_copies(platform, pid), 30, "the dossier at the institution")
    assert len(copies) == 1
    copy = copies[0]
    secret = get_settings().institution_secret.encode()
    expected = "sha256=" + hmac.new(secret, copy["timestamp"].encode() + b"." + copy["raw_body"].encode(),
                                    hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, copy["signature"])
    sent = json.loads(copy["raw_body"])
    canonical = json.dumps(sent["dossier"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == sent["digest"]
    dossier = sent["dossier"]
    assert dossier["municipality"] == "idrija" and dossier["competence"] == "national"
    assert dossier["tally"] == {"yes": 2, "no": 1, "abstain": 0} and dossier["proposal"]["theme"] == "employment"
    assert dossier["institution"]["id"] == "mddsz"

    forwarding = poll(lambda: (f := author.get(f"/proposals/{pid}/forwarding").json())["dossiers"]
                      and f["dossiers"][0]["status"] == "acknowledged" and f, 30, "acknowledged forwarding")
    assert len(forwarding["dossiers"]) == 1
    assert forwarding["dossiers"][0]["receipt"] == copy["receipt"]
    assert forwarding["dossiers"][0]["digest"] == sent["digest"]

    subjects = {"Your proposal was published", "The vote on your proposal has closed",
                "Your proposal reached the competent institution"}
    mails = poll(lambda: (m := read_mailbox(platform.maildir, to=author.email)) and len(m) >= 3 and m,
                 30, "three mails to the author")
    assert {m["Subject"] for m in mails} == subjects
    assert len(mails) == 3
    conclusion = next(m for m in mails if m["Subject"] == "The vote on your proposal has closed")
    assert "yes 2, no 1, abstain 0" in conclusion.get_content()
    heard = {m["Subject"] for m in read_mailbox(platform.maildir, to=voters[0].email)}
    assert not heard & subjects  # voters are told as followers of the proposal, never as its author
