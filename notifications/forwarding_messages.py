"""Mail texts about forwarding to institutions (issue 5), marked with N_ for pybabel."""


def N_(message: str) -> str:
    """Marks a message id for extraction (pybabel's default keywords); translated when rendered."""
    return message


# Forwarding in depth (issue 5): to authors, staff, and institutions' own addresses.
FORWARDING_MESSAGES = {
    "forwarding.institution_replied": (
        N_("The institution replied to your proposal"),
        N_("%(institution)s replied to your proposal \"%(title)s\" (%(status)s): %(text)s")),
    "forwarding.institution_replied.followers": (
        N_("The institution replied to a proposal you follow"),
        N_("%(institution)s replied to the proposal \"%(title)s\" you supported, voted on or follow "
           "(%(status)s): %(text)s")),
    "forwarding.dispatch_abandoned": (
        N_("A dossier could not be delivered"),
        N_("The dossier on \"%(title)s\" could not be delivered after %(attempts)s attempts (%(error)s). "
           "Retry it from the proposal's forwarding status.")),
    "forwarding.routing_needed": (
        N_("A conclusion waits for you to choose its institution"),
        N_("The adopted conclusion \"%(title)s\" (theme %(theme)s, %(competence)s competence) matches no "
           "institution in the directory, so nothing has been sent. Choose the institutions in the "
           "proposal's forwarding review.")),
    "forwarding.circuit_opened": (
        N_("An institution's intake is failing"),
        N_("Deliveries to %(institution)s failed %(failures)s times in a row; sending is paused until "
           "%(open_until)s.")),
    "forwarding.reply_reminder_sent": (
        N_("Reminder: a reply to a dossier is due"),
        N_("The reply to the dossier on \"%(title)s\" (%(dossier_id)s) is due on %(due_at)s. Please reply "
           "through the link in the dossier e-mail or the institution portal.")),
    "forwarding.reply_overdue": (
        N_("A reply is overdue"),
        N_("%(institution)s has not replied to the dossier on \"%(title)s\", due on %(due_at)s.")),
    "forwarding.reply_escalated": (
        N_("Escalation: a reply is overdue"),
        N_("%(institution)s has not replied to the dossier on \"%(title)s\" (%(dossier_id)s), due on "
           "%(due_at)s. As the body it is escalated to, please follow it up.")),
}
