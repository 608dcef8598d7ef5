"""Notifications about votes (issue 8): those who voted are subscribed to the proposal from the
participant list that voting publishes at the close (never at the ballot, so no follow can be
joined with a ballot by time), and hear the conclusion with the author and the other followers."""
from __future__ import annotations

from pymongo import UpdateOne

from notifications import domain, follows, handlers
from notifications.store import Follow
from services.db import Unit, atomically, utcnow


def subscribe_participants(event: dict) -> None:
    """`voting.participants_listed`: follow the proposal for each participant (reason "voted"; an
    earlier reason, such as "supported", is kept), in one write with the processed marker."""
    p = event["payload"]
    at = utcnow()  # the close, for everyone: not the moment of anyone's ballot

    def work(unit: Unit) -> None:
        writes = [UpdateOne({"_id": f"{p['proposal_id']}:{user_id}"}, {"$setOnInsert": {
            "proposal_id": p["proposal_id"], "user_id": user_id, "reason": "voted", "at": at}}, upsert=True)
            for user_id in p["participants"]]
        if writes:
            unit.coll(Follow).bulk_write(writes, ordered=False, session=unit.session)

    atomically(work, consumer="notifications.participants", cause=event)


def notify_conclusion(event: dict) -> None:
    """The vote closed: the author hears it as the author, followers (voters among them) as followers."""
    p = event["payload"]
    known = handlers._known(event)
    kind = event["event_type"]
    values = domain.message_values(kind, p, p.get("title") or (known.title if known else ""))
    recipients = {**handlers._to(follows.followers(p["proposal_id"]), f"{kind}.followers"),
                  **handlers._to([p["author_id"]], kind)}
    handlers._deliver(event, "notifications.authors", recipients, values)


HANDLERS = {
    "voting.participants_listed": subscribe_participants,
    "voting.conclusion_reached": notify_conclusion,
}
