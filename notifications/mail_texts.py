"""Texts every mail of a chosen kind carries (the unsubscribe footer) and the daily digest's, marked
with N_ for pybabel; rendered in the reader's language by notifications.mailer and digest."""


def N_(message: str) -> str:
    """Marks a message id for extraction (pybabel's default keywords); translated when rendered."""
    return message


FOOTER = N_("You get this e-mail because of your notification settings.\n"
            "No more e-mails like this one: %(unsubscribe)s\n"
            "All your e-mail settings: %(preferences)s")
DIGEST_SUBJECT = N_("Your daily summary from the participation platform")
DIGEST_INTRO = N_("This is what happened since your last summary. Your inbox on the platform has all of it too.")
DIGEST_KIND_OFF = N_("No more e-mails about “%(subject)s”: %(link)s")
DIGEST_SETTINGS = N_("All your e-mail settings: %(preferences)s")
