"""Seeding at issue 17's scale by copying documents the platform wrote itself.

Through the gateway, comments are seeded at about 10/s: 20,000 would take over half an hour. So the
benchmark seeds a few proposals and comments through the API (the platform writes every document of
them: the proposal, its versions, the voting service's projection, the comments, the counts), then
copies those documents in the databases with new ids until the wanted numbers are there. Every copy
has the shape of a document the services wrote; only ids, titles, times and the counts change."""
from __future__ import annotations

import copy
import uuid
from datetime import timedelta

import pymongo

from services.settings import get_settings

CHUNK = 1000


def _databases():
    settings = get_settings()
    client = pymongo.MongoClient(settings.mongo_uri)
    return client, client[settings.database("proposals")], client[settings.database("voting")]


def _insert(collection, documents: list[dict]) -> None:
    for at in range(0, len(documents), CHUNK):
        collection.insert_many(documents[at:at + CHUNK], ordered=False)


def clone_proposals(templates: list[str], total: int, progress) -> list[str]:
    """Copies of the published proposals `templates` (and of their versions and voting projections)
    until there are `total`; the ids of all of them, newest first as the list shows them."""
    client, proposals, voting = _databases()
    try:
        originals = {doc["_id"]: doc for doc in proposals["proposals"].find({"_id": {"$in": templates}})}
        projections = {doc["_id"]: doc for doc in voting["votes"].find({"_id": {"$in": templates}})}
        versions = {doc["proposal_id"]: doc for doc in proposals["proposal_versions"].find(
            {"proposal_id": {"$in": templates}, "version": 1})}
        made, batch = list(templates), {"proposals": [], "votes": [], "proposal_versions": []}
        oldest = min(doc["created_at"] for doc in originals.values())
        for n in range(len(templates), total):
            source = templates[n % len(templates)]
            pid, title = uuid.uuid4().hex, f"Predlog {n}: jezikovna kavarna v knjižnici"
            created = oldest - timedelta(minutes=n)  # older than the ones seeded through the API
            doc = copy.deepcopy(originals[source])
            doc.update(_id=pid, title=title, comments=0, supports=0, created_at=created)
            batch["proposals"].append(doc)
            batch["votes"].append({**copy.deepcopy(projections[source]), "_id": pid, "title": title})
            batch["proposal_versions"].append({**copy.deepcopy(versions[source]), "_id": f"{pid}:1",
                                               "proposal_id": pid, "title": title, "at": created})
            made.append(pid)
            if len(batch["proposals"]) == CHUNK or n == total - 1:
                _insert(proposals["proposals"], batch["proposals"])
                _insert(proposals["proposal_versions"], batch["proposal_versions"])
                _insert(voting["votes"], batch["votes"])
                batch = {name: [] for name in batch}
                progress("proposals (copied)", n + 1, total)
        return made
    finally:
        client.close()


def clone_comments(discussed: list[str], per_proposal: int, progress) -> None:
    """Copies of each discussed proposal's comments until it has `per_proposal`; its count follows."""
    client, proposals, voting = _databases()
    try:
        for done, pid in enumerate(discussed, 1):
            seeded = list(voting["comments"].find({"vote_id": pid, "parent_id": None}))
            if not seeded:
                continue
            latest = max(doc["posted_at"] for doc in seeded)
            copies = []
            for n in range(len(seeded), per_proposal):
                doc = copy.deepcopy(seeded[n % len(seeded)])
                doc.update(_id=uuid.uuid4().hex, body=f"Argument {n}: to bi pomagalo mnogim družinam.",
                           posted_at=latest - timedelta(seconds=n))
                copies.append(doc)
            _insert(voting["comments"], copies)
            total = voting["comments"].count_documents({"vote_id": pid, "status": "visible"})
            proposals["proposals"].update_one({"_id": pid}, {"$set": {"comments": total}})
            progress("comments (copied)", done * per_proposal, len(discussed) * per_proposal)
    finally:
        client.close()
