"""One public operation of the gateway (`Op`), and `rows()` to write a service's table compactly."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from marshmallow import Schema

from gateway.access import ADDRESSED, NATIONAL, Access

_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Op:
    name: str                      # the operationId, and how pages name the call
    method: str
    path: str                      # public path under /api/v1 (after /m/{municipality} when municipal),
                                   # OpenAPI style: /proposals/{proposal_id}
    access: Access
    tag: str
    summary: str
    service: str | None = None     # None: the gateway's own operation (hand-written view)
    inner: str | None = None       # the inner service's path, same placeholders
    query: type[Schema] | None = None
    body: type[Schema] | Schema | None = None
    out: Schema | type[Schema] | None = None
    status: int = 200
    timeout: float = 15.0
    fixed_body: dict | None = None  # sent inward instead of the caller's body
    within: str | None = None       # an operation that must find the parent (same path values) for
                                    # this caller first: the inner service alone cannot tell its tenant
    extra: dict = field(default_factory=dict)  # more OpenAPI for the operation (parameters, description)
    personal: bool = False          # the caller's own records wherever they are (the inbox): no /m/ prefix
    produces: str | None = None     # the media type of an answer that is not JSON (a PDF, a CSV, an image)
    max_body: int | None = None     # a body limit above the gateway's usual one (CIVIC_MAX_BODY_BYTES)
    stream: bool = False            # a bulk export: streamed through, If-None-Match relayed (open data)
    limit: str | None = None        # the abuse limit a resident's call takes one of (gateway.abuse.KINDS)

    @property
    def municipal(self) -> bool:
        """Whether the operation acts within one municipality, named in its path (/m/{municipality}/...)."""
        national = {tenant for _, tenant in self.access.roles} <= {NATIONAL, ADDRESSED}
        return not (national or self.personal)

    @property
    def api_path(self) -> str:
        """The path under /api/v1 as callers use it: municipal operations carry the municipality."""
        return f"/m/{{municipality}}{self.path}" if self.municipal else self.path

    @property
    def flask_path(self) -> str:
        return _PARAM.sub(r"<\1>", self.api_path)

    @property
    def params(self) -> list[str]:
        return _PARAM.findall(self.path)



def rows(service: str, tag: str, rows: list[tuple]) -> list[Op]:
    """Rows of (name, "METHOD /public", "/inner", access, summary, {options})."""
    ops = []
    for name, public, inner, access, summary, *options in rows:
        method, path = public.split(" ", 1)
        ops.append(Op(name, method, path, access, tag, summary, service, inner, **(options[0] if options else {})))
    return ops
