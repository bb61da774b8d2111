"""Uploads streamed to disk as they arrive, never held in memory: a browser's multipart form
(python-multipart's streaming parser, a chunk at a time) or an API request's raw body.

A form's CSRF token is its `csrf` field, which must come before the file (browsers send fields in
the form's order): the file is not written until the token is checked (digest.web.auth defers the
check to here for an upload route, whose body it must not read)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import BinaryIO

from fastapi import HTTPException, Request
from python_multipart.multipart import MultipartParser, parse_options_header

from digest.audience.imports import Uploads
from digest.errors import Invalid
from digest.web.auth import CSRF_FIELD, DENIED

MAX_FIELD = 16 * 1024  # bytes of a form field that is not the file
MAX_FIELDS = 200
STALE = "the form's security token is missing or stale: reload the page"


@dataclass
class Received:
    fields: dict[str, list[str]] = field(default_factory=dict)
    upload_id: str | None = None  # the file, written as Uploads.new() said
    filename: str = ""
    size: int = 0
    sha256: str = ""

    def one(self, name: str) -> str:
        return (self.fields.get(name) or [""])[0]


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the file is larger than {limit // 1024**2:,} MB")


async def receive_form(request: Request, uploads: Uploads, limit: int, file_field: str = "file") -> Received:
    """Read a multipart form whose one file goes to the uploads folder; the other fields are kept."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise Invalid("send the file as a form (multipart/form-data)")
    expected: str | None = getattr(request.state, "csrf", None)  # set by authorize for a form
    got = Received()
    digest = hashlib.sha256()
    part: dict[str, object] = {}
    out: list[BinaryIO] = []
    headers: dict[bytes, bytes] = {}
    pending = [b"", b""]  # the header being read: name, value

    def on_header_field(data: bytes, start: int, end: int) -> None:
        pending[0] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        pending[1] += data[start:end]

    def on_header_end() -> None:
        headers[pending[0].lower()] = pending[1]
        pending[0] = pending[1] = b""

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(headers.get(b"content-disposition", b""))
        name = disposition.get(b"name", b"").decode("utf-8", "replace")
        filename = disposition.get(b"filename")
        headers.clear()
        part.clear()
        part["name"], part["data"] = name, bytearray()
        if filename is None:
            return
        if name != file_field or out:
            raise Invalid(f"send one file, as the form's {file_field!r} field")
        sent = got.one(CSRF_FIELD)
        if expected is not None and not (sent and hmac.compare_digest(sent, expected)):
            raise HTTPException(403, STALE, DENIED)
        got.upload_id, path = uploads.new()
        got.filename = filename.decode("utf-8", "replace")
        out.append(path.open("wb"))
        part["file"] = True

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if part.get("file"):
            chunk = data[start:end]
            out[0].write(chunk)
            digest.update(chunk)
            got.size += end - start
            return
        buffer = part["data"]
        assert isinstance(buffer, bytearray)
        buffer += data[start:end]
        if len(buffer) > MAX_FIELD:
            raise Invalid(f"the form's field {part['name']!r} is longer than {MAX_FIELD:,} bytes")

    def on_part_end() -> None:
        if not part.get("file"):
            if sum(len(v) for v in got.fields.values()) >= MAX_FIELDS:
                raise Invalid(f"the form has more than {MAX_FIELDS} fields")
            buffer = part["data"]
            assert isinstance(buffer, bytearray)
            got.fields.setdefault(str(part["name"]), []).append(buffer.decode("utf-8", "replace"))

    callbacks = {"on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
                 "on_headers_finished": on_headers_finished, "on_part_data": on_part_data, "on_part_end": on_part_end}  # fmt: skip
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > limit:
                raise too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except BaseException:
        for fh in out:
            fh.close()
        if got.upload_id:
            uploads.discard(got.upload_id)
        raise
    for fh in out:
        fh.close()
    if (
        expected is not None
        and got.upload_id is None
        and not hmac.compare_digest(got.one(CSRF_FIELD), expected)
    ):
        raise HTTPException(403, STALE, DENIED)  # a form without a file is checked all the same
    got.sha256 = digest.hexdigest()
    return got


async def receive_body(request: Request, uploads: Uploads, limit: int) -> Received:
    """Write the request's raw body (an API upload) to the uploads folder."""
    got = Received()
    digest = hashlib.sha256()
    got.upload_id, path = uploads.new()
    try:
        with path.open("wb") as fh:
            async for chunk in request.stream():
                got.size += len(chunk)
                if got.size > limit:
                    raise too_large(limit)
                fh.write(chunk)
                digest.update(chunk)
    except BaseException:
        uploads.discard(got.upload_id)
        raise
    got.sha256 = digest.hexdigest()
    return got
