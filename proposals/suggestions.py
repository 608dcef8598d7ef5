"""Similar proposals, for a draft being written and on every proposal's page (`suggest`): the draft's
text ranked against the municipality's latest 1,000 proposals (services.similarity).

Reading and ranking those on each page view cost a proposal page about 280 ms with 2,000 proposals
(tests/perf/bench_pages.py). So this process keeps each set of candidates (per municipality, statuses
and process) and the rankings made over it, until it commits a write of its own (a proposal submitted,
edited or moderated here: `services.pacing.COMMITTED`) or CORPUS_SECONDS pass. Another replica's
writes are seen within CORPUS_SECONDS."""
from __future__ import annotations

import itertools

from proposals import domain, similar
from proposals.store import Proposal
from services.auth import Caller
from services.kept import Kept

CORPUS_SECONDS = 30.0
CANDIDATES = 1000
CORPORA = Kept(CORPUS_SECONDS, most=64)
RANKINGS = Kept(CORPUS_SECONDS, most=512)
_made = itertools.count()  # each corpus read gets a number: rankings are kept per corpus


def suggest(caller: Caller, data: dict, exclude: str | None = None) -> list[dict]:
    """Proposals of the municipality that look like `data` (published ones; staff see pending too)."""
    statuses = [domain.PUBLISHED]
    if caller.role == "staff":
        statuses += [domain.PENDING, domain.CHANGES_REQUESTED]
    key = (caller.municipality, tuple(statuses), data.get("process_id"))
    corpus = CORPORA.get(key, lambda: _corpus(*key))
    query_text = " ".join([data.get("title", ""), data.get("summary", ""), (data.get("body") or "")[:2000]])
    ranked = RANKINGS.get((key, corpus["number"], query_text, exclude), lambda: similar.rank(
        query_text, [(pid, text) for pid, text in corpus["texts"] if pid != exclude]))
    return [{"id": pid, "title": corpus["rows"][pid][0], "status": corpus["rows"][pid][1], "score": score}
            for pid, score in ranked]


def _corpus(municipality: str, statuses: tuple, process_id: str | None) -> dict:
    """The candidates' texts, titles and statuses."""
    query = Proposal.objects(municipality=municipality, status__in=list(statuses))
    if process_id:
        query = query(process_id=process_id)
    found = list(query.order_by("-created_at").only("id", "title", "summary", "body", "translations",
                                                    "status").limit(CANDIDATES))
    return {"number": next(_made), "rows": {p.id: (p.title, p.status) for p in found},
            "texts": [(p.id, " ".join([p.title, p.summary, p.body[:2000]] +
                                      [f"{t['title']} {t['summary']}" for t in p.translations.values()]))
                      for p in found]}
