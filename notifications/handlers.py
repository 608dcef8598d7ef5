"""Use cases of the notifications service."""
from __future__ import annotations

from notifications import domain, erasure, follows, mailer, reply_languages
from notifications.store import Contact, InboxItem, KnownProposal, Mail
from services.auth import Caller
from services.db import Unit, atomically
from services.deferral import NotYet
from services.errors import NotFound


def on_account_registered(event: dict) -> None:
    p = event["payload"]
    atomically(lambda unit: unit.save(Contact(id=p["user_id"], email=p["email"], language=p["language"],
                                              role=p["role"], municipality=event["municipality"])),
               consumer="notifications.contacts", cause=event)


def on_account_updated(event: dict) -> None:
    """The person chose another language: their mails and digests are written in it from now on."""
    p = event["payload"]
    atomically(lambda unit: unit.change(Contact, {"_id": p["user_id"]}, {"$set": {"language": p["language"]}}),
               consumer="notifications.contacts", cause=event)


def on_password_reset_requested(event: dict) -> None:
    """Mail the link (or a warning of failed sign-ins) to the address the event names, in its
    language; no inbox item (it is no news)."""
    p = event["payload"]
    values = {key: p[key] for key in ("link", "failures", "minutes") if key in p}
    atomically(lambda unit: unit.insert(Mail(
        id=domain.mail_id(event["event_id"], p["user_id"]), user_id=p["user_id"], kind=event["event_type"],
        email=p["email"], language=p["language"], values=values)),
        consumer="notifications.account_mails", cause=event)


def on_proposal_submitted(event: dict) -> None:
    p = event["payload"]
    atomically(lambda unit: unit.save(KnownProposal(id=p["proposal_id"], author_id=p["author_id"],
                                                    title=p["title"])),
               consumer="notifications.proposals", cause=event)


def _deliver(event: dict, consumer: str, recipients: dict[str, str], values: dict) -> None:
    """An inbox item and a mail per recipient (user id -> message kind), with the processed marker,
    in one transaction; a "mailto:" recipient gets only the mail."""
    proposal_id = event["payload"].get("proposal_id")
    gone = erasure.forgotten(recipients)  # closed accounts hear nothing more

    def work(unit: Unit) -> None:
        for user_id, kind in recipients.items():
            if user_id in gone:
                continue
            if not user_id.startswith("mailto:"):
                unit.insert(InboxItem(user_id=user_id, kind=kind, proposal_id=proposal_id, values=values))
            unit.insert(Mail(id=domain.mail_id(event["event_id"], user_id), user_id=user_id, kind=kind,
                             proposal_id=proposal_id, values=values))

    atomically(work, consumer=consumer, cause=event)


def _known(event: dict, required: bool = False) -> KnownProposal | None:
    pid = event["payload"].get("proposal_id")
    known = KnownProposal.objects(id=pid).first() if pid else None
    if known is None and required:
        raise NotYet(f"author of proposal {pid} not known yet")
    return known


def _to(user_ids, kind: str) -> dict[str, str]:
    return {user_id: kind for user_id in dict.fromkeys(user_ids)}


def notify_author(event: dict) -> None:
    """Tell the proposal's author, in the inbox and by e-mail."""
    p = event["payload"]
    known = _known(event)
    author_id = p.get("author_id") or (known.author_id if known else None)
    if author_id is None:
        raise NotYet(f"author of proposal {p['proposal_id']} not known yet")
    kind = event["event_type"]
    values = domain.message_values(kind, p, p.get("title") or (known.title if known else ""))
    _deliver(event, "notifications.authors", _to([author_id], kind), values)


def _forwarding_values(event: dict, known: KnownProposal | None) -> dict:
    return domain.forwarding_values(event["payload"], known.title if known else "")


def notify_author_of_reply(event: dict) -> None:
    """The institution answered: tell the proposal's author, and its supporters, voters and followers
    with the ".followers" message ("a proposal you follow")."""
    known = _known(event, required=True)
    kind = event["event_type"]
    follower_kind = f"{kind}.followers" if f"{kind}.followers" in domain.all_messages() else kind
    recipients = {**_to(follows.followers(known.id), follower_kind), **_to([known.author_id], kind)}
    _deliver(event, "notifications.replies", recipients, _forwarding_values(event, known))


def notify_staff(event: dict) -> None:
    """Alert the municipality's staff (abandoned dispatch, failing intake, overdue reply)."""
    staff = [c.id for c in Contact.objects(municipality=event["municipality"], role="staff").only("id")]
    _deliver(event, "notifications.staff", _to(staff, event["event_type"]), _forwarding_values(event, _known(event)))


def notify_addresses(event: dict) -> None:
    """Mail the addresses the event names (an institution's contacts, its escalation body)."""
    _deliver(event, "notifications.institutions",
             _to([f"mailto:{a}" for a in event["payload"]["recipients"]], event["event_type"]),
             _forwarding_values(event, _known(event)))


def inbox(caller: Caller, language: str, page: int, per_page: int, unread_only: bool = False) -> dict:
    """A page of the caller's inbox, newest first (only the unread items with `unread_only`)."""
    query = InboxItem.objects(user_id=caller.id, **({"read": False} if unread_only else {}))
    items = []
    for item in query.order_by("-created_at").skip((page - 1) * per_page).limit(per_page):
        reply_languages.localise(item, language)
        subject, body = mailer.render(item.kind, item.values, language)
        items.append({"id": item.id, "kind": item.kind, "proposal_id": item.proposal_id, "subject": subject,
                      "body": body, "created_at": item.created_at, "read": item.read})
    total = query.count()  # of the unread items only, with `unread_only`: the unread count itself
    unread = total if unread_only else InboxItem.objects(user_id=caller.id, read=False).count()
    return {"items": items, "page": page, "per_page": per_page, "total": total, "unread": unread}


def mark_read(caller: Caller, item_id: str) -> dict:
    if not InboxItem.objects(id=item_id, user_id=caller.id).update_one(set__read=True):
        raise NotFound("No such message in your inbox.")
    return {"id": item_id, "read": True}
