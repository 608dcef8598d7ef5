"""Notification preferences: per kind of inbox item, its e-mail at once, in the daily digest or never
(the inbox shows everything either way); and the signed unsubscribe link of every mail, which turns
its kind off without signing in."""
from __future__ import annotations

from notifications import domain
from notifications.store import Contact, Preference
from services.auth import Caller
from services.db import utcnow
from services.errors import DomainError, NotFound
from services.i18n import gettext
from services.settings import get_settings


def _key(kind: str) -> str:
    """A kind as a stored key: its dots would be paths in the database."""
    return kind.replace(".", ":")


def _modes(user_id: str) -> dict:
    return modes_of([user_id]).get(user_id, {})


def modes_of(user_ids: list[str]) -> dict[str, dict]:
    """The modes each of these people chose, by kind (only those who chose any)."""
    if not user_ids:
        return {}
    return {found.id: {key.replace(":", "."): mode for key, mode in (found.modes or {}).items()}
            for found in Preference.objects(id__in=list(set(user_ids))).only("id", "modes")}


def _set(user_id: str, modes: dict) -> None:
    Preference._get_collection().update_one({"_id": user_id}, {"$set": {
        "updated_at": utcnow(), **{f"modes.{_key(kind)}": mode for kind, mode in modes.items()}}}, upsert=True)


def _role(caller: Caller) -> str:
    """The role whose kinds the person chooses among (the contact's, as the account registered)."""
    contact = Contact.objects(id=caller.id).only("role").first()
    return (contact.role if contact and contact.role else caller.role) or caller.role


def mode_of(user_id: str, kind: str) -> str:
    if not domain.chosen(kind):
        return domain.DEFAULT_MODE
    return _modes(user_id).get(kind, domain.DEFAULT_MODE)


def preferences(caller: Caller, language: str) -> dict:
    """Every kind the caller's account receives, with its subject in `language` and its mode."""
    modes = _modes(caller.id)
    subjects = domain.all_messages()
    return {"modes": list(domain.MODES), "kinds": [
        {"kind": kind, "group": group, "subject": gettext(language, subjects[kind][0]),
         "mode": modes.get(kind, domain.DEFAULT_MODE)} for group, kind in domain.kinds_for(_role(caller))]}


def choose(caller: Caller, modes: dict, language: str) -> dict:
    """Set the modes of the named kinds (the others stay); a kind the account never receives is a 422."""
    allowed = {kind for _, kind in domain.kinds_for(_role(caller))}
    wrong = {kind: ["Not a kind of notification this account receives."] for kind in modes if kind not in allowed}
    if wrong:
        raise DomainError("Unknown kinds of notification.", errors={"json": {"modes": wrong}})
    if modes:
        _set(caller.id, modes)
    return preferences(caller, language)


def _from_token(token: str) -> tuple[str, str]:
    found = domain.read_unsubscribe_token(get_settings().service_secret, token)
    if found is None or Contact.objects(id=found[0]).only("id").first() is None:
        raise NotFound("This unsubscribe link is not valid.")
    return found


def unsubscribe_status(token: str, language: str) -> dict:
    """What the link turns off, and whether it already is."""
    user_id, kind = _from_token(token)
    return {"kind": kind, "subject": gettext(language, domain.all_messages()[kind][0]),
            "mode": mode_of(user_id, kind)}


def unsubscribe(token: str, language: str) -> dict:
    """Turn the link's kind off (idempotent)."""
    user_id, kind = _from_token(token)
    _set(user_id, {kind: "never"})
    return unsubscribe_status(token, language)


def unsubscribe_link(user_id: str, kind: str) -> str:
    token = domain.unsubscribe_token(get_settings().service_secret, user_id, kind)
    return f"{get_settings().gateway_url.rstrip('/')}/unsubscribe/{token}"


def preferences_link() -> str:
    return f"{get_settings().gateway_url.rstrip('/')}/me/notifications"
