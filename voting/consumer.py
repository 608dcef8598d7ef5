"""Events the voting service consumes. No ballot goes through the bus: the running count is kept
in each ballot's transaction (voting/counting.py); the closes are checked against it."""
from services.pacing import Pace
from services.settings import get_settings
from voting import approval, handlers, moderation, proposal_events, register_jobs

HANDLERS = {
    "proposals.proposal_published": handlers.on_proposal_published,
    "voting.voting_closed": handlers.on_voting_closed,
    "voting.approval_closed": approval.on_approval_closed,
    **proposal_events.HANDLERS,  # hidden, withdrawn, restored proposals and the like
    **moderation.HANDLERS,  # accounts blocked and unblocked by staff: they cannot comment meanwhile
}
TOPICS = [get_settings().topic("proposals"), get_settings().topic("voting")]
# The clock: scheduled votes open and close on time by themselves (every worker may run it safely).
JOBS = {"windows": (lambda: handlers.run_windows() | approval.run_windows(), 1.0),
        # Uploaded registers, a chunk a round while there are any (an upload is seen within a second).
        "register_imports": (register_jobs.run_imports, Pace(0.25, 1.0))}
