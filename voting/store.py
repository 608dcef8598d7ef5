"""Documents of the voting service."""
from __future__ import annotations

import mongoengine as me

from services.db import utcnow


class Vote(me.Document):
    """A published proposal as voting knows it (projection) and its voting window."""

    id = me.StringField(primary_key=True)  # the proposal id
    municipality = me.StringField(required=True)
    process_id = me.StringField(required=True)
    title = me.StringField(required=True)
    theme = me.StringField(required=True)
    competence = me.StringField(required=True)
    author_id = me.StringField(required=True)
    status = me.StringField(required=True, default="published")
    opened_at = me.DateTimeField(null=True)
    closed_at = me.DateTimeField(null=True)
    final_tally = me.DictField(null=True)
    outcome = me.StringField(null=True)
    meta = {"collection": "votes", "indexes": ["municipality"]}


class BallotGate(me.Document):
    """One of GATES stripes of an open vote. A ballot writes its voter's stripe; closing writes
    them all. So a ballot racing the close always conflicts with it (counted, or refused), while
    ballots conflict with only 1/GATES of each other instead of all queueing on one document."""

    id = me.StringField(primary_key=True)  # "<vote id>:<stripe>"
    vote_id = me.StringField(required=True)
    municipality = me.StringField(required=True)
    open = me.BooleanField(default=True)
    ballots = me.IntField(default=0)
    meta = {"collection": "ballot_gates", "indexes": ["vote_id"]}


class Ballot(me.Document):
    """One per (voter, vote): the _id is derived from both, so a second ballot replaces the first."""

    id = me.StringField(primary_key=True)
    vote_id = me.StringField(required=True)
    voter = me.StringField(required=True)  # pseudonymous: a keyed hash of the voter's id
    choice = me.StringField(required=True, choices=("yes", "no", "abstain"))
    cast_at = me.DateTimeField(default=utcnow)
    meta = {"collection": "ballots", "indexes": ["vote_id"]}


class LiveTally(me.Document):
    """The running count, a projection of `voting.vote_cast` events."""

    id = me.StringField(primary_key=True)
    yes = me.IntField(default=0)
    no = me.IntField(default=0)
    abstain = me.IntField(default=0)
    meta = {"collection": "live_tallies"}

    def as_dict(self) -> dict:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}


MODELS = (Vote, BallotGate, Ballot, LiveTally)
