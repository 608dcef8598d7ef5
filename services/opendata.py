"""Open-data exports shared by every service that publishes a dataset: the licence, the envelope
schema, and a streamed JSON or CSV answer with a strong ETag.

A dataset is a flat row schema (marshmallow) and a callable that yields its rows (plain dicts) from
a database cursor. The answer is made in two passes over the cursor, each holding one row at a time:
the first hashes the bytes to give the ETag (so If-None-Match answers 304 without sending the
body), the second streams them. Memory stays constant however large the dataset; the cost is
reading it twice. A change between the passes only makes the next request download again.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from marshmallow import Schema, fields, validate

if TYPE_CHECKING:
    from flask import Response

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Civic participation platform, Slovenian municipalities"
CACHE_CONTROL = "public, max-age=300, must-revalidate"
MUNICIPALITY = validate.Regexp(r"^[a-z0-9-]{1,40}$", error="A municipality code: lower-case letters, digits, -.")


class OpenDataArgs(Schema):
    municipality = fields.Str(load_default=None, validate=MUNICIPALITY,
                              metadata={"description": "Only this municipality's rows (all of them without it)."})


class DatasetInfo(Schema):
    name = fields.Str(required=True)
    rows = fields.Int(required=True)
    last_change = fields.DateTime(allow_none=True, required=True)


class CatalogueOut(Schema):
    datasets = fields.List(fields.Nested(DatasetInfo), required=True)


def envelope(name: str, row_schema: type[Schema]) -> type[Schema]:
    """The documented shape of a dataset's JSON export: licence, filter, rows, count."""
    return Schema.from_dict({
        "dataset": fields.Str(required=True, validate=validate.Equal(name)),
        "licence": fields.Str(required=True, validate=validate.Equal(LICENCE),
                              metadata={"description": "SPDX identifier of the licence: CC BY 4.0."}),
        "licence_url": fields.Str(required=True),
        "attribution": fields.Str(required=True),
        "municipality": fields.Str(allow_none=True, required=True),
        "rows": fields.List(fields.Nested(row_schema), required=True),
        "count": fields.Int(required=True),
    }, name=f"OpenData{name.title()}Export")


def _value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _json_chunks(name: str, municipality: str | None, rows: Iterable[dict]) -> Iterator[bytes]:
    head = {"dataset": name, "licence": LICENCE, "licence_url": LICENCE_URL, "attribution": ATTRIBUTION,
            "municipality": municipality}
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "rows": ['
    count = 0
    for row in rows:
        yield (b"," if count else b"") + json.dumps({k: _value(v) for k, v in row.items()},
                                                    ensure_ascii=False).encode()
        count += 1
    yield f'], "count": {count}}}'.encode()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_value(value))


def _csv_chunks(columns: list[str], rows: Iterable[dict]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*columns, "licence"])
    for row in rows:
        writer.writerow([*(_cell(row.get(c)) for c in columns), LICENCE])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def export(name: str, fmt: str, row_schema: type[Schema], rows: Callable[[], Iterable[dict]],
           municipality: str | None) -> Response:
    """The dataset as a streamed JSON or CSV answer, with its ETag (304 when the caller has it)."""
    from flask import Response, request  # here: the workers import the row schemas, not the web

    columns = list(row_schema().fields)

    def chunks() -> Iterator[bytes]:
        if fmt == "csv":
            yield b"\xef\xbb\xbf"  # a BOM, so spreadsheets read UTF-8
            yield from _csv_chunks(columns, rows())
        else:
            yield from _json_chunks(name, municipality, rows())

    digest = hashlib.sha256()
    for chunk in chunks():
        digest.update(chunk)
    etag = f'"{digest.hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Link": f'<{LICENCE_URL}>; rel="license"'}
    wanted = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or "*" in wanted:
        return Response(status=304, headers=headers)
    suffix = f"-{municipality}" if municipality else ""
    headers["Content-Disposition"] = f'attachment; filename="{name}{suffix}.{fmt}"'
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(chunks(), mimetype=mimetype, headers=headers)


def scoped(municipality: str | None) -> dict:
    """The query filter for the optional municipality."""
    return {"municipality": municipality} if municipality else {}
