"""The views of every relayed operation, made from the rows of `gateway.routes`.

A view checks the caller's role against the row (before the body is read), validates the query
and body with the row's schemas, calls the inner service through `gateway.inner`, and passes the
answer through. What a view does beyond that is named here, per operation, in `AFTER`."""
from __future__ import annotations

import logging
from functools import wraps

from flask import g, request

from gateway.api.common import AUTH, blp
from gateway.inner import call, call_op, in_municipality, passed_through
from gateway.routes import RELAYED, Op

OPTIONAL_AUTH = [{}, {"bearerAuth": []}]
log = logging.getLogger(__name__)


def portal_params(args: dict) -> dict:
    """How the institution proves who it is: the signed link (?token=) or its API key header."""
    params = {"token": args["token"]} if args.get("token") else {}
    if request.headers.get("X-Api-Key"):
        params["api_key"] = request.headers["X-Api-Key"]
    return params


def follow_supporter(caller, values: dict) -> None:
    """Supporters hear about the proposal (best effort: the support stands anyway)."""
    try:
        call("notifications", "PUT", f"/api/follows/{values['proposal_id']}", caller,
             json={"reason": "supported"}, timeout=5)
    except Exception as exc:  # noqa: BLE001 - ServiceDown or worse: the support is recorded either way
        log.warning("could not subscribe %s to %s: %s", caller.id, values["proposal_id"], exc)


AFTER = {"support_proposal": follow_supporter}
PARAMS = {name: portal_params for name in ("portal_dossier", "portal_dossier_pdf", "portal_acknowledge",
                                            "portal_reply")}


def admitted(op: Op):
    """Settle whose municipality the call acts in (the path's), then refuse callers the row does not
    admit, before flask-smorest reads the body."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if op.municipal:
                g.caller = in_municipality(op, g.caller, kwargs.pop("municipality"))
            op.access.check(g.caller)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def make_view(op: Op):
    def view(*args, **values):
        query = args[0] if op.query else None
        params = PARAMS[op.name](query) if op.name in PARAMS else query
        body = request.get_json(silent=True) if op.body is not None else None
        relayed = {"If-None-Match": request.headers["If-None-Match"]} \
            if op.stream and "If-None-Match" in request.headers else None
        answer = call_op(op, g.caller, json=body, params=params, headers=relayed, **values)
        if op.name in AFTER and answer.status_code < 300:
            AFTER[op.name](g.caller, values)
        return passed_through(answer, stream=op.stream)

    view.__name__ = op.name
    fn = blp.response(op.status, op.out)(view) if op.out is not None else view
    if op.body is not None:
        fn = blp.arguments(op.body)(fn)
    if op.query is not None:
        fn = blp.arguments(op.query, location="query")(fn)
    fn = admitted(op)(fn)
    fn = blp.doc(**doc_of(op))(fn)
    return blp.route(op.flask_path, methods=[op.method], endpoint=op.name)(fn)


def doc_of(op: Op) -> dict:
    """The OpenAPI entries the row gives: operationId, summary, tag, security, who may call it."""
    who = "; ".join(f"{role} ({tenant})" for role, tenant in op.access.roles)
    doc = {"operationId": op.name, "summary": op.summary, "tags": [op.tag],
           "description": f"Who may call it: {who}.", **op.extra}
    if op.produces:
        media = [op.produces, "image/jpeg"] if op.produces == "image/png" else [op.produces]
        schema = {"type": "object"} if op.produces == "application/json" else {"type": "string", "format": "binary"}
        doc["responses"] = {str(op.status): {"description": "OK", "content": {kind: {"schema": schema}
                                                                            for kind in media}}}
    if not op.access.public:
        doc["security"] = AUTH
    elif len(op.access.roles) < 5:
        doc["security"] = OPTIONAL_AUTH
    return doc

VIEWS = [make_view(op) for op in RELAYED]
LARGER_BODIES = {f"{blp.name}.{op.name}": op.max_body for op in RELAYED if op.max_body}


@blp.before_app_request  # an app-wide hook made before the kit's, which reads JSON bodies
def larger_body_limit():
    """The routes whose rows allow larger bodies (a register file) get their limit before any read."""
    if request.endpoint in LARGER_BODIES:
        request.max_content_length = LARGER_BODIES[request.endpoint]
