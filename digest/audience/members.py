"""Subscribers in and out as CSV: a list's import (subscribers.importer), the export of a search
(subscribers.exporter)."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from sqlalchemy import Connection, Engine

from digest.audience.service import Audience
from digest.store.db import refresh_statistics
from subscribers.addresses import Utf8Refusal
from subscribers.exporter import csv_chunks, export_csv
from subscribers.importer import CsvFormat, ImportReport, RowError, import_csv
from subscribers.search import Query
from subscribers.service import require_list


def import_file(
    engine: Engine,
    path: Path,
    list_id: str,
    *,
    consent: str | None,
    fmt: CsvFormat,
    mapping: dict[str, str],
    errors: Callable[[RowError], None],
    progress: Callable[[int], None],
    utf8_refusal: Utf8Refusal,
    origin: str | None = None,
    chunk_size: int = 5000,
) -> ImportReport:
    """Import the file into the list, committed chunk by chunk; each bad row goes to `errors`. The
    planner's statistics are refreshed after it, as after an ingest run (a large import changes
    which index answers the console's searches best). `origin`: the file's name as uploaded."""
    with engine.connect() as conn, _fewer_collections():
        report = import_csv(
            conn,
            path,
            list_id,
            consent=consent,
            mapping=mapping,
            errors=errors,
            progress=progress,
            utf8_refusal=functools.cache(utf8_refusal),  # one answer for the whole file
            fmt=fmt,
            origin=origin,
            chunk_size=chunk_size,
        )
    refresh_statistics(engine)
    return report


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """An import makes millions of short-lived objects and no cycles: the cyclic collector, run every
    700 allocations by default, spent a tenth of a 1M-row import scanning the heap. Less often while
    it runs (the thresholds are the process's: a job runner runs one job at a time)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def export_file(aud: Audience, query: Query, to: Path | TextIO) -> int:
    """Export what the search finds (a list's members, of some statuses, or any filter of the
    console's table: subscribers.search.Query) to a file (written only once the list is found) or a
    stream, by keyset in one read. Returns how many rows were written."""
    with aud.engine.connect() as conn:
        if query.list_id:
            require_list(conn, query.list_id)
        if isinstance(to, Path):
            with to.open("w", newline="", encoding="utf-8") as fh:
                return export_csv(conn, query, fh)
        return export_csv(conn, query, to)


def export_chunks(aud: Audience, query: Query) -> Iterator[str]:
    """The same export as CSV text, chunk by chunk (what the console's download streams); NotFound
    for a list there is not, raised before the first chunk. The connection lasts as long as the
    stream."""
    conn = aud.engine.connect()
    try:
        if query.list_id:
            require_list(conn, query.list_id)
    except BaseException:
        conn.close()
        raise
    return _closing(conn, csv_chunks(conn, query))


def _closing(conn: Connection, chunks: Iterator[str]) -> Iterator[str]:
    try:
        yield from chunks
    finally:
        conn.close()
