"""The discussion of a proposal on its page: supports, following, the thread of arguments."""
from __future__ import annotations


def context_for(proposal: dict) -> dict:
    """What the proposal page's discussion part (_discussion.html) needs."""
    return {}
