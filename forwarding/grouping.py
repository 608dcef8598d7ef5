"""Cross-municipality groups: forwarded conclusions on the same theme and of similar content, from
several municipalities, so an institution sees "4 municipalities, 2,300 residents voted, asking for
the same"; each conclusion is still forwarded, answered and tracked on its own.

The rule (leader clustering, in the order conclusions were reached): a new conclusion joins the group
whose first conclusion (its seed) it most resembles on the same theme, when the platform's text
similarity (`services.similarity`: character n-gram TF-IDF, cosine) of their titles and summaries is
at least `THRESHOLD`; otherwise it starts a group of its own. A group counts as cross-municipal once
its members come from two municipalities or more.

The group is assigned once, by a worker job, and stored on the conclusion (`group_id`, the seed's
proposal id) rather than computed on every read: the tracker, its group pages and the institution
portal read it on every request, and a stored group never reshuffles under a ministry's eyes when a
later conclusion arrives (a computed clustering could). Conclusions are frozen when reached, so the
assignment does not go stale; the job also groups conclusions reached before it existed. The texts
are forwarding's own: the conclusion's title and the summary its facts projection keeps."""
from __future__ import annotations

from services.similarity import rank

THRESHOLD = 0.5  # "asking for the same": rewordings score 0.7+, other asks on a theme below 0.1


def text_of(title: str | None, summary: str | None) -> str:
    """What is compared of a conclusion: its title and its proposal's summary."""
    return " ".join(part for part in (title, summary) if part)


def choose_group(text: str, seeds: list[tuple[str, str]], threshold: float = THRESHOLD) -> str | None:
    """The group (its seed's id) of the seed `text` most resembles at `threshold` or above; None: a new
    group. `seeds` are (group id, text) of the groups on the same theme."""
    best = rank(text, seeds, limit=1, min_score=threshold)
    return best[0][0] if best else None


def summarise(group_id: str, members: list[dict]) -> dict | None:
    """A group as the tracker and the portal show it: how many municipalities and conclusions, how many
    residents voted in all, and the members (oldest first); None unless it spans two municipalities."""
    municipalities = sorted({m["municipality"] for m in members})
    if len(municipalities) < 2:
        return None
    members = sorted(members, key=lambda m: (m["reached_at"], m["proposal_id"]))
    return {"group_id": group_id, "municipalities": municipalities,
            "municipality_count": len(municipalities), "conclusions": len(members),
            "ballots": sum(m.get("ballots") or 0 for m in members), "members": members}
