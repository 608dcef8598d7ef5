"""Events the voting service consumes."""
from services.settings import get_settings
from voting import handlers

HANDLERS = {
    "proposals.proposal_published": handlers.on_proposal_published,
    "voting.vote_cast": handlers.on_vote_cast,
    "voting.voting_closed": handlers.on_voting_closed,
}
TOPICS = [get_settings().topic("proposals"), get_settings().topic("voting")]
