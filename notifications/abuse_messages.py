"""Alerts to the municipality's staff about abuse (issue 8), marked with N_ for pybabel."""


def N_(message: str) -> str:
    """Marks a message id for extraction (pybabel's default keywords); translated when rendered."""
    return message


ABUSE_MESSAGES = {
    "voting.verification_abuse_suspected": (
        N_("Someone may be guessing a register entry"),
        N_("Verification with the register reference %(reference)s failed %(failures)s times within "
           "%(window_hours)s hours, from one or more accounts. Verification with this reference is paused "
           "until then. If the resident asks, check their identity in person.")),
}
