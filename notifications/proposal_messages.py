"""Mail texts about proposals and moderation (issue 3), marked with N_ for pybabel."""


def N_(message: str) -> str:
    """Marks a message id for extraction (pybabel's default keywords); translated when rendered."""
    return message


PROPOSAL_MESSAGES = {
    "proposals.changes_requested": (
        N_("Please change your proposal"),
        N_("The moderators ask you to change your proposal \"%(title)s\" before it can be published: "
           "%(note)s")),
    "proposals.proposal_hidden": (
        N_("Your proposal was hidden"),
        N_("Your proposal \"%(title)s\" was hidden pending review. Reason: %(reason)s")),
    "proposals.pending_summary": (
        N_("Proposals await moderation"),
        N_("%(pending)s proposals await moderation in your municipality; %(overdue)s of them have waited "
           "longer than the target, and %(reported)s hidden proposals were reported.")),
}
