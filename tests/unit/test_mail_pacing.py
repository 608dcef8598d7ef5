"""How often the mailers look again for a recipient whose contact is not known yet
(notifications.sending.no_contact_pause): soon at first, then less often, never rarer than the cap."""
from __future__ import annotations

from datetime import timedelta

import pytest

from notifications.sending import GIVE_UP_AFTER, NO_CONTACT_PAUSE_MAX, no_contact_pause


@pytest.mark.parametrize("attempts, seconds", [(0, 1), (1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (40, 10)])
def test_the_pause_doubles_up_to_its_cap(attempts, seconds):
    assert no_contact_pause(attempts) == timedelta(seconds=seconds)


def test_a_mail_without_a_contact_is_looked_at_often_before_it_is_given_up():
    looks, waited = 0, timedelta()
    while waited < GIVE_UP_AFTER:
        looks += 1
        waited += no_contact_pause(looks)
    assert NO_CONTACT_PAUSE_MAX == 10 and looks > 300  # every 10 s for the hour: a late contact is mailed soon
