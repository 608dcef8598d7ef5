"""Public API: the operations view for platform operators, GET /operations/status. Written by hand
(its row is `operations_status` in `gateway.routes`): it fans out to every service's status
document (`services.status`) through the one inner client rather than relay to one service."""
from flask import g

from gateway.api.common import blp
from gateway.api.relay import doc_of
from gateway.inner import call
from gateway.routes import BY_NAME
from services.auth import Caller
from services.status import PlatformStatusOut, gather, over_http

ROW = BY_NAME["operations_status"]


def platform_status(caller: Caller) -> dict:
    """Every part's status as `caller` (refused unless the row admits them); the gateway's in-process."""
    ROW.access.check(caller)
    return gather(over_http(call, caller, local="gateway"))


@blp.get("/operations/status")
@blp.response(200, PlatformStatusOut)
@blp.doc(**doc_of(ROW))
def operations_status():
    return platform_status(g.caller)
