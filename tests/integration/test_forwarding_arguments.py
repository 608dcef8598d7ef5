"""The strongest arguments of the deliberation travel with the conclusion into the dossier."""
from __future__ import annotations

import requests

from tests.support import eligible_residents, poll, published_for_voting, register, staff_of


def test_the_most_endorsed_arguments_reach_the_institution(platform, gateway):
    staff, author = staff_of(gateway), register(gateway)
    first, second, third = eligible_residents(gateway, 3)
    pid = published_for_voting(author, staff, theme="employment", competence="national",
                               title="Priznavanje poklicnih kvalifikacij v 30 dneh")

    def comment(client, body, alignment):
        answer = client.post(f"/proposals/{pid}/comments", json={"body": body, "alignment": alignment})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]
    weak = comment(first, "Manj čakanja pomeni prej delo.", "for")
    strong = comment(second, "Zdravniki in negovalci čakajo leto dni na priznanje.", "for")
    against = comment(third, "Upravne enote nimajo dovolj osebja.", "against")
    comment(first, "Morda bi pomagal spletni obrazec.", "neutral")
    for client in (first, third):
        assert client.put(f"/comments/{strong}/endorsement").status_code in (200, 201, 204)

    assert staff.post(f"/proposals/{pid}/voting/open").status_code == 200
    assert first.put(f"/proposals/{pid}/ballot", json={"choice": "yes"}).status_code == 200
    assert staff.post(f"/proposals/{pid}/voting/close").status_code == 200

    def copy():
        received = requests.get(f"{platform.url('institution')}/_received", timeout=10).json()["dossiers"]
        return next((d for d in received if d["document"]["dossier"]["proposal"]["id"] == pid), None)
    deliberation = poll(copy, 30, "the dossier at the institution")["document"]["dossier"]["deliberation"]
    assert deliberation["arguments_for"] == [
        "Zdravniki in negovalci čakajo leto dni na priznanje.", "Manj čakanja pomeni prej delo."]
    assert deliberation["arguments_against"] == ["Upravne enote nimajo dovolj osebja."]
    assert weak and against
