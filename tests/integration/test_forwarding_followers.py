"""The institution's reply reaches the author, supporters, voters and followers, and nobody else."""
from __future__ import annotations

from services.local.smtp_server import read_mailbox
from tests.support import eligible_residents, poll, published_for_voting, register, staff_of, wait_status

REPLY = "Predlog sprejemamo; zdravstveno zavarovanje bo urejeno do pomladi."


def test_reply_goes_to_author_supporters_voters_and_followers(platform, gateway):
    staff, author = staff_of(gateway), register(gateway)
    supporter, voter, follower, quitter, bystander = eligible_residents(gateway, 5)
    pid = published_for_voting(author, staff, theme="health", competence="national",
                               title="Zdravstveno zavarovanje za prosilce")
    assert supporter.put(f"/proposals/{pid}/support").status_code < 300
    assert follower.put(f"/proposals/{pid}/follow").json() == {"proposal_id": pid, "following": True}
    assert quitter.put(f"/proposals/{pid}/follow").status_code == 200
    assert quitter.request("DELETE", f"/proposals/{pid}/follow").json()["following"] is False
    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    assert voter.put(f"/proposals/{pid}/ballot", json={"choice": "yes"}).status_code == 200
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200
    dossier = wait_status(author, pid, "mz", "acknowledged")
    recorded = staff.post(f"/dossiers/{dossier['id']}/replies", json={"status": "accepted", "text": REPLY})
    assert recorded.status_code == 201, recorded.text

    def reply_mails(person):
        return [m for m in read_mailbox(platform.maildir, to=person.email) if REPLY in m.get_content()]
    for person in (author, supporter, voter, follower):
        assert len(poll(lambda p=person: reply_mails(p), 30, f"the reply mail to {person.email}")) == 1
    assert reply_mails(author)[0]["Subject"] == "The institution replied to your proposal"
    assert reply_mails(voter)[0]["Subject"] == "The institution replied to a proposal you follow"
    assert "yes" not in reply_mails(voter)[0].get_content().lower().split()  # no choice in the mail
    assert not reply_mails(quitter) and not reply_mails(bystander)
    assert follower.put(f"/proposals/{pid}/follow").status_code == 200  # following again is harmless
