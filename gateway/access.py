"""Who may call what: the roles, the tenants a role reaches, and the gateway's check.

Each public operation carries one `Access` (declared in `gateway.routes`): the roles that may call
it and, for each, which data it reaches. The gateway refuses any other role before the request
body is read (401 for anonymous callers, 403 for signed-in ones); the inner services then scope
every query to the caller's municipality, so another municipality's data answers 404.
`docs/authorisation.md` is rendered from these rows (`python -m gateway.routes`), and
`tests/e2e/test_authorisation.py` walks every operation against them.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.auth import Caller
from services.errors import Forbidden, Unauthorized

ANONYMOUS, RESIDENT, STAFF, INSTITUTION, OPERATOR = "anonymous", "resident", "staff", "institution", "operator"
ROLES = (ANONYMOUS, RESIDENT, STAFF, INSTITUTION, OPERATOR)

# The tenants a role reaches through an operation.
OWN = "own"              # the caller's municipality (anonymous and operators: the one in ?municipality=)
SELF = "self"            # the caller's own records (own inbox, own verification, own proposal)
ADDRESSED = "addressed"  # dossiers addressed to the institution (signed link, its API key or its account)
NATIONAL = "national"    # not bound to a municipality (the national directory, public keys)
TENANTS = {
    OWN: "own municipality; another's data answers 404",
    SELF: "own records only",
    ADDRESSED: "dossiers addressed to the institution only",
    NATIONAL: "national, shared by every municipality",
}


@dataclass(frozen=True)
class Access:
    """The roles that may call an operation, each with the tenant it reaches."""

    roles: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, **roles: str) -> "Access":
        unknown = set(roles) - set(ROLES)
        if unknown or not set(roles.values()) <= set(TENANTS):
            raise ValueError(f"unknown roles or tenants in {roles}")
        return cls(tuple((role, roles[role]) for role in ROLES if role in roles))

    def tenant(self, role: str) -> str | None:
        return dict(self.roles).get(role)

    def allows(self, role: str) -> bool:
        return self.tenant(role) is not None

    @property
    def public(self) -> bool:
        return self.allows(ANONYMOUS)

    def check(self, caller: Caller) -> None:
        """Refuse a caller whose role this operation does not admit (before the body is read)."""
        if self.allows(caller.role):
            return
        if caller.role == ANONYMOUS:
            raise Unauthorized("Sign in first: send 'Authorization: Bearer <token>'.")
        who = ", ".join(role for role, _ in self.roles)
        raise Forbidden(f"This operation is not for the role {caller.role}; it is for: {who}.", code="role")


EVERYONE = Access.of(anonymous=OWN, resident=OWN, staff=OWN, institution=OWN, operator=OWN)
EVERYONE_NATIONAL = Access.of(anonymous=NATIONAL, resident=NATIONAL, staff=NATIONAL, institution=NATIONAL,
                              operator=NATIONAL)
RESIDENTS = Access.of(resident=OWN)
MEMBERS = Access.of(resident=OWN, staff=OWN)
AUTHORS = Access.of(resident=SELF, staff=SELF)
STAFF_ONLY = Access.of(staff=OWN)
OPERATORS = Access.of(operator=NATIONAL)
INSTITUTIONS = Access.of(anonymous=ADDRESSED, institution=ADDRESSED)
SELF_RESIDENT = Access.of(resident=SELF)
INBOX_OWNERS = Access.of(resident=SELF, staff=SELF, institution=SELF)
ACCOUNT_HOLDERS = Access.of(resident=SELF, staff=SELF, institution=SELF, operator=SELF)  # one's own account
BREAKER_READERS = Access.of(staff=NATIONAL, operator=NATIONAL)


def render_markdown(ops) -> str:
    """The authorisation table as Markdown (docs/authorisation.md)."""
    lines = ["# Who may do what", "",
             "Rendered from `gateway/routes/` by `python -m gateway.routes > docs/authorisation.md`;",
             "`tests/unit/test_authorisation_table.py` fails when this file and the table differ, and",
             "`tests/e2e/test_authorisation.py` walks every operation as each caller.", "",
             "Tenants: " + "; ".join(f"**{key}**: {text}" for key, text in TENANTS.items()) + ".",
             "A dash means the gateway refuses the role: 401 when anonymous, 403 otherwise.",
             "**limit**: the abuse limit a resident's call takes one of, per account and per client address",
             "(`gateway.abuse`, 429 with Retry-After).", "",
             "| operation | " + " | ".join(ROLES) + " | limit |",
             "|---|" + "---|" * (len(ROLES) + 1)]
    for op in ops:
        cells = [op.access.tenant(role) or "-" for role in ROLES] + [getattr(op, "limit", None) or ""]
        lines.append(f"| `{op.method} {op.api_path}` ({op.name}) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
