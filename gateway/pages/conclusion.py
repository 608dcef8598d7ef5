"""What a vote concluded, on the proposal's page: results, the forwarding timeline, the replies."""
from __future__ import annotations


def context_for(proposal: dict, vote: dict | None) -> dict:
    """What _results.html and _forwarding.html need beyond the vote itself."""
    return {}
