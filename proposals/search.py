"""Lists and full-text search of proposals: filters, sorts, stable pagination."""
from __future__ import annotations

import json
import re

from proposals import domain, similar
from proposals.handlers import present
from proposals.store import Proposal
from services.auth import Caller
from services.kept import Kept

# Every sort ends with the id, so pages never overlap or skip when values tie.
SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "most_supported": ("-supports", "-created_at", "-id"),
    "most_discussed": ("-comments", "-created_at", "-id"),
}
FILTERS = ("process_id", "phase", "theme", "competence", "author_kind")
# A list's matches in its order (their ids), found again after this process writes or a few seconds.
# The database server here reads and sorts every match of a filter to return twenty of them (140 ms
# with 2,000 proposals, tests/perf/bench_pages.py), however the query is indexed; a page then reads
# its twenty by id. The page's documents are read fresh, under the list's filter again, so a
# proposal that no longer matches (hidden by another replica a moment ago) is never shown; one that
# has just begun to match appears within ORDER_SECONDS (at once after this process's own writes).
ORDER_SECONDS = 5.0
ORDERS = Kept(ORDER_SECONDS, most=32)


def list_proposals(caller: Caller, args: dict) -> dict:
    query = Proposal.objects(municipality=caller.municipality)
    status = args.get("status")
    if args.get("mine"):
        query = query(author_id=caller.id)
    elif caller.role != "staff":
        # Others see published proposals only (and their own, with mine=true).
        status = domain.PUBLISHED if status in (None, domain.PUBLISHED) else "__none__"
    if status:
        query = query(status=status)
    for name in FILTERS:
        if args.get(name):
            query = query(**{name: args[name]})
    if args.get("tag"):
        query = query(tags=args["tag"].strip().lower())
    if args.get("q"):
        # Every word of the query must begin a word of the proposal (folded: accents, Cyrillic).
        words = similar.words(args["q"])[:8] or ["\u0000"]
        query = query(__raw__={"$and": [{"search_terms": {"$regex": "^" + re.escape(w)}} for w in words]})
    page, per_page, sort = args["page"], args["per_page"], SORTS[args.get("sort", "newest")]
    order = ORDERS.get(json.dumps([query._query, sort], sort_keys=True, default=str),
                       lambda: list(query.order_by(*sort).scalar("id")))  # ids only: a small answer
    chosen = order[(page - 1) * per_page:page * per_page]
    found = {p.id: p for p in query(id__in=chosen)} if chosen else {}
    return {"items": [present(found[pid]) for pid in chosen if pid in found], "page": page, "per_page": per_page,
            "total": len(order)}

