"""Notifications about proposals in depth (issue 3): the author hears that changes were requested
or that the proposal was hidden; the municipality's staff get the pending-moderation summary."""
from __future__ import annotations

from notifications import handlers

HANDLERS = {
    "proposals.changes_requested": handlers.notify_author,
    "proposals.proposal_hidden": handlers.notify_author,
    "proposals.pending_summary": handlers.notify_staff,
}
