"""Mail texts about votes for those who took part (issue 8), marked with N_ for pybabel."""


def N_(message: str) -> str:
    """Marks a message id for extraction (pybabel's default keywords); translated when rendered."""
    return message


VOTING_MESSAGES = {
    "voting.conclusion_reached.followers": (
        N_("The vote on a proposal you follow has closed"),
        N_("The vote on \"%(title)s\", which you voted on, supported or follow, has closed: %(outcome)s "
           "(yes %(yes)s, no %(no)s, abstain %(abstain)s).")),
}
