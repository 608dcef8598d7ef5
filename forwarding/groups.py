"""Cross-municipality groups in the store: the worker job that assigns each forwarded conclusion its
group (the rule is `forwarding.grouping`), and the groups as the tracker and the portal read them."""
from __future__ import annotations

from forwarding import grouping
from forwarding.store import Conclusion, ProposalFacts


def _texts(conclusions: list[Conclusion]) -> dict[str, str]:
    summaries = {f.id: f.summary for f in ProposalFacts.objects(id__in=[c.id for c in conclusions])
                 .only("id", "summary")}
    return {c.id: grouping.text_of(c.data.get("title"), summaries.get(c.id)) for c in conclusions}


def assign_next() -> bool:
    """Group the oldest forwarded conclusion not yet grouped; False when every one is (the job loop)."""
    conclusion = Conclusion.objects(group_id=None).order_by("reached_at", "id").first()
    if conclusion is None:
        return False
    seeds = [s for s in Conclusion.objects(group_seed=True, __raw__={"data.theme": conclusion.data.get("theme")})
             .only("id", "data") if s.id != conclusion.id]
    texts = _texts([conclusion, *seeds])
    chosen = grouping.choose_group(texts[conclusion.id], [(s.id, texts[s.id]) for s in seeds])
    # Set once: a second worker that raced for the same conclusion changes nothing.
    Conclusion.objects(id=conclusion.id, group_id=None).update_one(
        set__group_id=chosen or conclusion.id, set__group_seed=chosen is None)
    return True


def member(conclusion: Conclusion) -> dict:
    """A conclusion as a group lists it (public facts only: never its author)."""
    return {"proposal_id": conclusion.id, "municipality": conclusion.municipality,
            "title": conclusion.data.get("title"), "theme": conclusion.data.get("theme"),
            "ballots": conclusion.data.get("ballots"), "reached_at": conclusion.reached_at}


def groups_of(group_ids: set[str]) -> dict[str, dict]:
    """group id -> the group (`grouping.summarise`), for those that span two municipalities or more."""
    found: dict[str, list[dict]] = {}
    for conclusion in Conclusion.objects(group_id__in=[g for g in group_ids if g]) \
            .only("id", "municipality", "data", "reached_at", "group_id"):
        found.setdefault(conclusion.group_id, []).append(member(conclusion))
    return {gid: group for gid, members in found.items() if (group := grouping.summarise(gid, members))}


def group_of(proposal_id: str) -> dict | None:
    """The cross-municipality group of one conclusion, or None (not grouped yet, or alone)."""
    conclusion = Conclusion.objects(id=proposal_id).only("group_id").first()
    if conclusion is None or not conclusion.group_id:
        return None
    return groups_of({conclusion.group_id}).get(conclusion.group_id)
