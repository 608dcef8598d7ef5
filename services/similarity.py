"""Text similarity: character n-gram TF-IDF with cosine similarity, in plain Python (the proposals
service's similar proposals and search terms, forwarding's cross-municipality groups).

Text is lower-cased, accent-folded (č→c, ž→z, é→e) and Cyrillic is transliterated to Latin,
so the same words written with or without diacritics, or in Cyrillic and Latin, meet.
Character 3- and 4-grams inside word boundaries match inflected forms (stanovanje,
stanovanja, stanovanjih) without a stemmer or a language model, for any alphabetic language.
See docs/proposals.md for the reasoning and the limits."""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

_CYRILLIC = dict(zip(
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёэыъђјљњћџ",
    ["a", "b", "v", "h", "g", "d", "e", "ie", "zh", "z", "y", "i", "i", "i", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "iu", "ia", "e", "e", "y", "", "dj", "j",
     "lj", "nj", "c", "dz"]))
_WORD = re.compile(r"[^\W\d_]+|\d+")
MIN_SCORE = 0.25


def fold(text: str) -> str:
    """Lower-case, transliterate Cyrillic, strip accents."""
    text = "".join(_CYRILLIC.get(ch, ch) for ch in (text or "").lower())
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=20_000)  # proposals rarely change: their grams are reused across requests
def ngrams(text: str, sizes: tuple[int, ...] = (3, 4)) -> Counter:
    """Character 3- and 4-grams of the folded words, each word padded with spaces. Do not mutate."""
    grams: Counter = Counter()
    for word in words(text):
        padded = f" {word} "
        for n in sizes:
            grams.update(padded[i:i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams


def _weigh(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    vector = {g: (1 + math.log(c)) * idf.get(g, 0.0) for g, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {g: v / norm for g, v in vector.items()}


def rank(query: str, candidates: list[tuple[str, str]], limit: int = 5,
         min_score: float = MIN_SCORE) -> list[tuple[str, float]]:
    """(id, score) of the candidates (id, text) most like `query`, best first."""
    docs = [(cid, ngrams(text)) for cid, text in candidates]
    q = ngrams(query)
    if not q or not docs:
        return []
    df: Counter = Counter()
    for _, grams in docs:
        df.update(grams.keys())
    total = len(docs) + 1
    idf = {g: math.log((1 + total) / (1 + df[g] + (1 if g in q else 0))) + 1 for g in set(df) | set(q)}
    qv = _weigh(q, idf)
    scored = []
    for cid, grams in docs:
        if q.keys().isdisjoint(grams):
            continue
        dv = _weigh(grams, idf)
        score = sum(w * dv.get(g, 0.0) for g, w in qv.items())
        if score >= min_score:
            scored.append((cid, round(score, 3)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def search_terms(*texts: str) -> list[str]:
    """The folded distinct words of a proposal, for the full-text index."""
    return sorted({w for text in texts for w in words(text) if len(w) > 1})
