"""Events the forwarding service consumes, and its jobs: dispatchers and the deadline watch.

Several dispatcher threads send in parallel (the claim's lease keeps each dossier to one sender);
a slow institution then holds up one thread, not the whole queue."""
from forwarding import conclusions, facts, groups, handlers, reply_translations
from services.pacing import Pace
from services.settings import get_settings

DISPATCHERS = 4
HANDLERS = {
    "voting.conclusion_reached": handlers.on_conclusion_reached,
    # what the dossier tells of the proposal and its deliberation
    "proposals.proposal_submitted": facts.on_proposal_text,
    "proposals.proposal_edited": facts.on_proposal_text,
    "proposals.workshop_input_recorded": facts.on_workshop_input,
    "voting.comment_posted": facts.on_comment_posted,
    "voting.comment_hidden": facts.on_comment_hidden,
    # a new municipality's signing key
    "accounts.municipality_created": reply_translations.on_municipality_created,
    "accounts.municipality_updated": reply_translations.on_municipality_saved,  # its languages
}
# a burst of conclusions in one transaction (forwarding.conclusions)
BATCH_HANDLERS = {"voting.conclusion_reached": conclusions.on_conclusions_reached}
TOPICS = [get_settings().topic("voting"), get_settings().topic("proposals"), get_settings().topic("accounts")]
# Dispatchers look every 0.2 s while there is work, slowing to once a second when there is none;
# deadlines are days long, so once a second is on time.
JOBS = {**{f"dispatcher-{n}": (handlers.dispatch_due, Pace(0.2, 1.0)) for n in range(1, DISPATCHERS + 1)},
        "deadlines": (handlers.check_deadlines, 1.0),
        # cross-municipality groups: each forwarded conclusion once, when reached (forwarding.grouping)
        "grouping": (groups.assign_next, Pace(0.2, 2.0)),
        "translator": (reply_translations.machine_translate_due, Pace(0.2, 1.0))}  # when machine translation is on
