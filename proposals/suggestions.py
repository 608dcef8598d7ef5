"""Similar proposals, for a draft being written and on every proposal's page (`suggest`): the draft's
text ranked against the municipality's latest 1,000 proposals (services.similarity).

Reading and ranking those on each page view cost a proposal page about 280 ms with 2,000 proposals
(tests/perf/bench_pages.py). So this process keeps each set of candidates (per municipality, statuses
and process) and the rankings made over it, until it commits a write of its own (a proposal submitted,
edited or moderated here: `services.pacing.COMMITTED`) or CORPUS_SECONDS pass. Another replica's
writes are seen within CORPUS_SECONDS."""
from __future__ import annotations

import threading
import time

from proposals import domain, similar
from proposals.store import Proposal
from services.auth import Caller
from services.pacing import COMMITTED

CORPUS_SECONDS = 30.0
CANDIDATES = 1000
_KEPT_CORPORA, _KEPT_RANKINGS = 64, 512
_corpora: dict[tuple, dict] = {}
_lock = threading.Lock()


def suggest(caller: Caller, data: dict, exclude: str | None = None) -> list[dict]:
    """Proposals of the municipality that look like `data` (published ones; staff see pending too)."""
    statuses = [domain.PUBLISHED]
    if caller.role == "staff":
        statuses += [domain.PENDING, domain.CHANGES_REQUESTED]
    corpus = _corpus(caller.municipality, tuple(statuses), data.get("process_id"))
    query_text = " ".join([data.get("title", ""), data.get("summary", ""), (data.get("body") or "")[:2000]])
    key = (query_text, exclude)
    ranked = corpus["rankings"].get(key)
    if ranked is None:
        ranked = similar.rank(query_text, [(pid, text) for pid, text in corpus["texts"] if pid != exclude])
        with _lock:
            if len(corpus["rankings"]) >= _KEPT_RANKINGS:
                corpus["rankings"].clear()
            corpus["rankings"][key] = ranked
    return [{"id": pid, "title": corpus["rows"][pid][0], "status": corpus["rows"][pid][1], "score": score}
            for pid, score in ranked]


def _corpus(municipality: str, statuses: tuple, process_id: str | None) -> dict:
    """The candidates' texts, titles and statuses: kept, or read again after a commit here or in time."""
    key, rings, now = (municipality, statuses, process_id), COMMITTED.rings, time.monotonic()
    kept = _corpora.get(key)
    if kept and kept["rings"] == rings and now - kept["at"] < CORPUS_SECONDS:
        return kept
    query = Proposal.objects(municipality=municipality, status__in=list(statuses))
    if process_id:
        query = query(process_id=process_id)
    found = list(query.order_by("-created_at").only("id", "title", "summary", "body", "translations",
                                                    "status").limit(CANDIDATES))
    corpus = {"rings": rings, "at": now, "rankings": {},  # the rings before the read: a commit during it counts
              "rows": {p.id: (p.title, p.status) for p in found},
              "texts": [(p.id, " ".join([p.title, p.summary, p.body[:2000]] +
                                        [f"{t['title']} {t['summary']}" for t in p.translations.values()]))
                        for p in found]}
    with _lock:
        if len(_corpora) >= _KEPT_CORPORA:
            _corpora.clear()
        _corpora[key] = corpus
    return corpus
