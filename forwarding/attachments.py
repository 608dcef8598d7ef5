"""A reply's attachments: what a file is, read from its bytes (PDF, PNG, JPEG, ODT, DOCX only), and
its bytes kept by their SHA-256 digest in chunks (a document holds at most 16 MB; a reply has several
files of up to 10 MiB), read back for anyone to download with the published reply."""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import zipfile

from forwarding import domain
from forwarding.store import AttachmentChunk
from services.errors import DomainError

CHUNK_BYTES = 1024 * 1024
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = ("application/pdf", "image/png", "image/jpeg", ODT, DOCX)


def kind_of(raw: bytes) -> str | None:
    """The file's media type from its content (never from its name or the sender's word), or None."""
    if raw.startswith(b"%PDF-"):
        return "application/pdf"
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if raw.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if raw.startswith(b"PK\x03\x04"):
        return _office_kind(raw)
    return None


def _office_kind(raw: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    return None


def _problem(n: int, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, errors={"json": {"attachments": {str(n): [message]}}})


def decoded(items: list[dict]) -> list[tuple[dict, bytes]]:
    """Each attachment with its bytes, checked: base64, size, an allowed kind (else a field error)."""
    found = []
    for n, item in enumerate(items):
        try:
            raw = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _problem(n, "Not valid base64.") from exc
        if len(raw) > domain.MAX_ATTACHMENT_BYTES:
            raise _problem(n, f"At most {domain.MAX_ATTACHMENT_BYTES} bytes.", "too_large")
        if not raw:
            raise _problem(n, "The file is empty.")
        if kind_of(raw) is None:
            raise _problem(n, "Only PDF, PNG, JPEG, ODT or DOCX files.", "file_type")
        found.append((item, raw))
    return found


def store(items: list[dict]) -> list[dict]:
    """Keep each attachment's bytes by digest (idempotent: the same file is kept once) and return what
    the reply records of it: name, kind (as read from the bytes), size, digest."""
    kept = []
    for item, raw in decoded(items):
        sha = hashlib.sha256(raw).hexdigest()
        for n, start in enumerate(range(0, len(raw), CHUNK_BYTES)):
            AttachmentChunk.objects(id=f"{sha}:{n}").update_one(
                upsert=True, set__sha256=sha, set__n=n, set__data=raw[start:start + CHUNK_BYTES])
        kept.append({"filename": item["filename"], "content_type": kind_of(raw), "size": len(raw), "sha256": sha})
    return kept


def content_of(meta: dict) -> bytes | None:
    """An attachment's bytes: from its chunks, or inline as replies kept them before (issue 13)."""
    if meta.get("content_base64"):
        return base64.b64decode(meta["content_base64"])
    chunks = list(AttachmentChunk.objects(sha256=meta["sha256"]).order_by("n"))
    raw = b"".join(chunk.data for chunk in chunks)
    return raw if chunks and len(raw) == meta.get("size") and hashlib.sha256(raw).hexdigest() == meta["sha256"] \
        else None
