"""The proposal list and a discussion are remembered briefly by the service that reads them
(proposals.search.ORDERS, voting.deliberation.THREADS): what they show stays right meanwhile."""
from __future__ import annotations

import pymongo
import requests

from services.settings import get_settings
from tests.support import new_process, published_for_voting, register, staff_of


def test_a_proposal_changed_by_another_replica_leaves_a_remembered_list_at_once(gateway):
    staff, author = staff_of(gateway), register(gateway)
    process = new_process(staff)["id"]
    kept, hidden = (published_for_voting(author, staff, competence="municipal", process_id=process,
                                         title=f"Seznam: {name}") for name in ("ostane", "skrit"))
    url = f"{gateway}/api/v1/m/idrija/proposals?process_id={process}"

    def listed() -> list[str]:
        answer = requests.get(url, timeout=30)
        assert answer.status_code == 200, answer.text
        return [item["id"] for item in answer.json()["items"]]

    assert listed() == [hidden, kept]  # newest first; the list's order is now remembered
    settings = get_settings()
    with pymongo.MongoClient(settings.mongo_uri) as client:  # as another replica would: this one is not told
        client[settings.database("proposals")]["proposals"].update_one({"_id": hidden}, {"$set": {"status": "hidden"}})
    assert listed() == [kept]


def test_a_comment_is_in_its_discussion_as_soon_as_it_is_posted(gateway):
    staff, author = staff_of(gateway), register(gateway)
    pid = published_for_voting(author, staff, competence="municipal", title="Razprava: takoj vidna")
    url = f"{gateway}/api/v1/m/idrija/proposals/{pid}/comments"
    assert requests.get(url, timeout=30).json()["total"] == 0  # remembered, empty
    for n, words in enumerate(("First argument for.", "Second argument, against."), start=1):
        posted = register(gateway).post(f"/proposals/{pid}/comments", json={"body": words, "alignment": "for"})
        assert posted.status_code == 201, posted.text
        shown = requests.get(url, timeout=30).json()
        assert shown["total"] == n and shown["comments"][-1]["body"] == words
