"""Staff's defences against bursts of fake registrations and supports (issue 16, after UK Petitions):
blocks of client networks (an address or a CIDR range) and of e-mail domains, the traces of
registrations and supports that show staff a burst grouped by network or by e-mail domain, and the
undoing of one burst at once (`gateway.blocks_undo`), each step recorded in the audit log of these
defences (`AbuseAction`).

A trace keeps the /24 (IPv4) or /48 (IPv6) network of the client address and a keyed hash of the
address, never the address itself, and goes after TRACE_DAYS (a TTL index)."""
from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from datetime import timedelta

from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from gateway import abuse
from gateway.routes import BY_NAME
from gateway.store import AbuseAction, AbuseBlock, Account, WriteTrace
from services.auth import Caller
from services.db import utcnow
from services.errors import Conflict, DomainError, Forbidden, NotFound

TRACE_DAYS = 30
KINDS = ("registration", "support")
GROUPINGS = ("network", "domain")
MOST_TRACES = 20_000  # read for one grouping: a burst larger than this is seen in parts
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
BLOCKED = "Registrations and supports from your network or e-mail domain are not accepted in this municipality."


def domain_of(email: str | None) -> str:
    return (email or "").rsplit("@", 1)[-1].lower()


def normalised(kind: str, value: str) -> str:
    """A block's value as stored: a network in CIDR notation, or a lower-case domain."""
    value = (value or "").strip().lower()
    if kind == "address":
        try:
            return str(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise DomainError("Not an address or a network.", errors={"json": {"value": [
                "Give an address (192.0.2.7) or a network (192.0.2.0/24, 2001:db8::/48)."]}}) from None
    value = value.removeprefix("@")
    if not _DOMAIN.match(value):
        raise DomainError("Not an e-mail domain.", errors={"json": {"value": ["Give a domain, e.g. example.com."]}})
    return value


def refuse_blocked(municipality: str | None, address: str | None, email: str | None) -> None:
    """Refuse (403, blocked) a registration or a support from a blocked network or e-mail domain."""
    blocks = AbuseBlock.objects(municipality=municipality or "")
    if not blocks:
        return
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        ip = None
    domain = domain_of(email)
    for block in blocks:
        if block.kind == "address" and ip is not None:
            network = ipaddress.ip_network(block.value)
            hit = ip.version == network.version and ip in network
        else:
            hit = block.kind == "domain" and bool(domain) and (domain == block.value
                                                              or domain.endswith("." + block.value))
        if hit:
            raise Forbidden(BLOCKED, code="blocked")


def admit_support(caller: Caller) -> None:
    """Before a support: the supporter's network and e-mail domain must not be blocked."""
    account = Account.objects(id=caller.id).only("email").first()
    refuse_blocked(caller.municipality, abuse.client_address(), account.email if account else None)


def record(kind: str, account_id: str, municipality: str, email: str, address: str | None,
           target: str | None = None) -> None:
    """Keep where a registration or a support came from (its network and a hash of its address)."""
    WriteTrace(kind=kind, account_id=account_id, municipality=municipality, domain=domain_of(email),
               network=abuse.network(address), address_hash=abuse.address_hash(address), target=target).save()


def record_support(caller: Caller, proposal_id: str) -> None:
    account = Account.objects(id=caller.id).only("email").first()
    record("support", caller.id, caller.municipality, account.email if account else "", abuse.client_address(),
           target=proposal_id)


def audit(caller: Caller, action: str, detail: dict, count: int = 0) -> None:
    AbuseAction(municipality=caller.municipality, actor_id=caller.id, action=action, detail=detail,
                count=count).save()


def admitted(caller: Caller, operation: str) -> str:
    BY_NAME[operation].access.check(caller)
    return caller.municipality


def list_blocks(caller: Caller) -> list[AbuseBlock]:
    return list(AbuseBlock.objects(municipality=admitted(caller, "list_abuse_blocks")).order_by("-at"))


def add_block(caller: Caller, data: dict) -> AbuseBlock:
    municipality = admitted(caller, "add_abuse_block")
    block = AbuseBlock(municipality=municipality, kind=data["kind"], value=normalised(data["kind"], data["value"]),
                       reason=(data.get("reason") or "").strip(), by=caller.id)
    try:
        block.save(force_insert=True)
    except (DuplicateKeyError, NotUniqueError) as exc:
        raise Conflict("This network or domain is blocked already.", code="duplicate",
                       errors={"json": {"value": ["Already blocked."]}}) from exc
    audit(caller, "block_added", {"kind": block.kind, "value": block.value, "reason": block.reason})
    return block


def remove_block(caller: Caller, block_id: str) -> AbuseBlock:
    municipality = admitted(caller, "remove_abuse_block")
    block = AbuseBlock.objects(id=block_id, municipality=municipality).first()
    if block is None:
        raise NotFound("No such block.")
    block.delete()
    audit(caller, "block_removed", {"kind": block.kind, "value": block.value})
    return block


def traces(municipality: str, kind: str, minutes: int) -> list[WriteTrace]:
    since = utcnow() - timedelta(minutes=minutes)
    return list(WriteTrace.objects(municipality=municipality, kind=kind, at__gte=since, invalidated_at=None)
                .order_by("-at").limit(MOST_TRACES))


def bursts(caller: Caller, kind: str, by: str, minutes: int, smallest: int = 2) -> list[dict]:
    """Recent registrations or supports grouped by network or e-mail domain, the largest first."""
    groups: dict[str, list[WriteTrace]] = defaultdict(list)
    for trace in traces(admitted(caller, "abuse_bursts"), kind, minutes):
        groups[getattr(trace, by) or "-"].append(trace)
    found = [{"key": key, "count": len(items), "accounts": len({t.account_id for t in items}),
              "addresses": len({t.address_hash for t in items}), "first_at": min(t.at for t in items),
              "last_at": max(t.at for t in items)} for key, items in groups.items() if len(items) >= smallest]
    return sorted(found, key=lambda group: (-group["count"], group["key"]))


def actions(caller: Caller, limit: int = 50) -> list[AbuseAction]:
    return list(AbuseAction.objects(municipality=admitted(caller, "abuse_actions")).order_by("-at").limit(limit))
