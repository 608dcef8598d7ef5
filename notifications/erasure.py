"""A closed account (accounts.account_deleted): notifications forgets the person, their e-mail address,
language, inbox, mails, follows, e-mail settings and digest, in one transaction with the processed
marker (a redelivery changes nothing), and keeps only that the account is gone, so that news arriving
later for it (a conclusion of a proposal they wrote, say) is delivered to no one."""
from __future__ import annotations

from notifications.store import Contact, Digest, Follow, ForgottenAccount, InboxItem, Mail, Preference
from services.db import Unit, atomically, utcnow


def forget_account(event: dict) -> None:
    user_id = event["payload"]["user_id"]

    def work(unit: Unit) -> None:
        for model, query in ((Contact, {"_id": user_id}), (Preference, {"_id": user_id}), (Digest, {"_id": user_id}),
                             (InboxItem, {"user_id": user_id}), (Mail, {"user_id": user_id}),
                             (Follow, {"user_id": user_id})):
            unit.coll(model).delete_many(query, session=unit.session)
        unit.save(ForgottenAccount(id=user_id, at=utcnow()))

    atomically(work, consumer="notifications.erasure", cause=event)


def forgotten(user_ids) -> set[str]:
    """Which of these accounts are closed."""
    return set(ForgottenAccount.objects(id__in=list(user_ids)).scalar("id"))


HANDLERS = {"accounts.account_deleted": forget_account}
