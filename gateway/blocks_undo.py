"""Staff undo a burst of fake registrations or supports (gateway.blocks finds them): a preview
first, then supports withdrawn as their supporters (so the counts drop) and the registrations'
accounts closed (their traced supports withdrawn first), recorded in the audit log."""
from __future__ import annotations

from gateway import blocks, erasure
from gateway.inner import call
from gateway.store import Account, WriteTrace
from services.auth import Caller
from services.db import utcnow
from services.errors import DomainError
from services.events import Actor


def invalidate(caller: Caller, data: dict) -> dict:
    """Preview (confirm false) or undo a burst: supports withdrawn; registrations' accounts closed
    (their traced supports withdrawn first). Recorded in the audit log."""
    municipality = blocks.admitted(caller, "invalidate_burst")
    kind, by, key = data["kind"], data["by"], data["key"]
    traces = [t for t in blocks.traces(municipality, kind, data["minutes"]) if (getattr(t, by) or "-") == key]
    accounts = sorted({t.account_id for t in traces})
    answer = {"kind": kind, "by": by, "key": key, "matched": len(traces), "accounts": len(accounts),
              "invalidated": 0, "confirmed": bool(data.get("confirm"))}
    if not data.get("confirm") or not traces:
        return answer
    supports = traces if kind == "support" else _traces_of(municipality, accounts)
    for trace in supports:
        _withdraw(trace)
    if kind == "registration":
        for account in Account.objects(id__in=accounts, role="resident"):
            erasure.close(account, Actor("staff" if caller.role == "staff" else "operator", caller.id))
    WriteTrace.objects(id__in=[t.id for t in traces]).update(set__invalidated_at=utcnow())
    answer["invalidated"] = len(traces)
    blocks.audit(caller, f"{kind}s_invalidated", {"by": by, "key": key, "minutes": data["minutes"],
                 "accounts": len(accounts)}, len(traces))
    return answer


def _traces_of(municipality: str, accounts: list[str]) -> list[WriteTrace]:
    return list(WriteTrace.objects(municipality=municipality, kind="support", account_id__in=accounts,
                                   invalidated_at=None))


def _withdraw(trace: WriteTrace) -> None:
    """Withdraw one support as its supporter (straight to the voting service: no limit counts it)."""
    supporter = Caller(trace.account_id, "resident", trace.municipality)
    answer = call("voting", "DELETE", f"/api/votes/{trace.target}/support", supporter)
    if answer.status_code not in (200, 404):
        raise DomainError(f"The support of {trace.target} could not be withdrawn ({answer.status_code}).")
    WriteTrace.objects(id=trace.id).update_one(set__invalidated_at=utcnow())
