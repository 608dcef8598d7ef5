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
# A list's total, counted again after this process writes or half a minute: counting every match of a
# filter was the larger half of a list page's time with 2,000 proposals (tests/perf/bench_pages.py).
TOTALS = Kept(30.0)


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
    page, per_page = args["page"], args["per_page"]
    rows = query.order_by(*SORTS[args.get("sort", "newest")]).skip((page - 1) * per_page).limit(per_page)
    total = TOTALS.get(json.dumps(query._query, sort_keys=True, default=str), query.count)
    return {"items": [present(p) for p in rows], "page": page, "per_page": per_page, "total": total}
