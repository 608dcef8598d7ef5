"""Pure rules of notification preferences (notifications/domain.py): which kinds a role chooses
among, which mails follow the choices, and the signed unsubscribe link."""
from __future__ import annotations

from notifications import domain

SECRET = "a-service-secret"
PERSON = "0123456789abcdef0123456789abcdef"


def test_residents_choose_their_own_kinds_and_staff_also_the_staff_alerts():
    resident = {kind for _, kind in domain.kinds_for("resident")}
    staff = {kind for _, kind in domain.kinds_for("staff")}
    assert "proposals.proposal_published" in resident and "voting.conclusion_reached.followers" in resident
    assert "proposals.pending_summary" not in resident and "proposals.pending_summary" in staff
    assert resident < staff and domain.kinds_for("institution") == []
    assert staff <= set(domain.all_messages())  # every kind has its message (its subject names it)


def test_account_mails_and_duties_to_institutions_do_not_follow_the_choices():
    assert not domain.chosen("accounts.password_reset_requested")
    assert not domain.chosen("forwarding.reply_reminder_sent") and not domain.chosen("forwarding.reply_escalated")
    assert domain.chosen("forwarding.institution_replied.followers")


def test_an_unsubscribe_token_names_one_person_and_one_kind_and_cannot_be_altered():
    kind = "forwarding.institution_replied.followers"
    token = domain.unsubscribe_token(SECRET, PERSON, kind)
    assert domain.read_unsubscribe_token(SECRET, token) == (PERSON, kind)
    assert len(token) <= 128  # a plain path value at the gateway
    assert domain.read_unsubscribe_token("another-secret", token) is None
    assert domain.read_unsubscribe_token(SECRET, token.replace(PERSON, "f" * 32)) is None
    other = token.replace(kind, "proposals.proposal_published")
    assert domain.read_unsubscribe_token(SECRET, other) is None
    for broken in ("", "...", PERSON, f"{PERSON}.no.such_kind.{token.rsplit('.', 1)[1]}"):
        assert domain.read_unsubscribe_token(SECRET, broken) is None
