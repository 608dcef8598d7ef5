"""HTTP API of the notifications service."""
from flask_smorest import Blueprint

from notifications import follows, handlers, preferences
from notifications.schemas import (FollowIn, FollowOut, FollowsOut, InboxArgs, InboxOut, LanguageArgs,
                                   PreferencesIn, PreferencesOut, ReadOut, UnsubscribedOut)
from services.auth import caller
from services.errors import Forbidden

blp = Blueprint("notifications", __name__, url_prefix="/api")


@blp.get("/inbox")
@blp.arguments(InboxArgs, location="query")
@blp.response(200, InboxOut)
def inbox(args):
    return handlers.inbox(caller(), args["lang"], args["page"], args["per_page"], unread_only=args["unread"])


@blp.post("/inbox/<item_id>/read")
@blp.response(200, ReadOut)
def read(item_id):
    return handlers.mark_read(caller(), item_id)


@blp.get("/follows")
@blp.response(200, FollowsOut)
def my_follows():
    return follows.follows_of(caller())


@blp.put("/follows/<proposal_id>")
@blp.arguments(FollowIn)
@blp.response(200, FollowOut)
def follow(data, proposal_id):
    return follows.follow(caller(), proposal_id, data["reason"])


@blp.delete("/follows/<proposal_id>")
@blp.response(200, FollowOut)
def unfollow(proposal_id):
    return follows.unfollow(caller(), proposal_id)


def _account():
    """The caller, who must be a signed-in person (the gateway's row admits only such)."""
    if caller().role in ("anonymous", "system"):
        raise Forbidden("Sign in to choose your notifications.")
    return caller()


@blp.get("/preferences")
@blp.arguments(LanguageArgs, location="query")
@blp.response(200, PreferencesOut)
def get_preferences(args):
    return preferences.preferences(_account(), args["lang"])


@blp.put("/preferences")
@blp.arguments(LanguageArgs, location="query")
@blp.arguments(PreferencesIn)
@blp.response(200, PreferencesOut)
def put_preferences(args, data):
    return preferences.choose(_account(), data["modes"], args["lang"])


@blp.get("/unsubscribe/<token>")
@blp.arguments(LanguageArgs, location="query")
@blp.response(200, UnsubscribedOut)
def unsubscribe_status(args, token):
    return preferences.unsubscribe_status(token, args["lang"])


@blp.post("/unsubscribe/<token>")
@blp.arguments(LanguageArgs, location="query")
@blp.response(200, UnsubscribedOut)
def unsubscribe(args, token):
    return preferences.unsubscribe(token, args["lang"])
