"""A list's members in and out as CSV (subscribers.importer and subscribers.exporter)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from digest.audience.service import Audience
from subscribers.exporter import export_csv
from subscribers.importer import CsvFormat, ImportReport, RowError, import_csv
from subscribers.models import status_named
from subscribers.service import require_list


def import_file(
    aud: Audience,
    path: Path,
    list_id: str,
    *,
    consent: str | None,
    fmt: CsvFormat,
    mapping: dict[str, str],
    errors: Callable[[RowError], None],
    progress: Callable[[int], None],
) -> ImportReport:
    """Import the file into the list, committed chunk by chunk; each bad row goes to `errors`."""
    with aud.engine.connect() as conn:
        return import_csv(
            conn,
            path,
            list_id,
            consent=consent,
            mapping=mapping,
            errors=errors,
            progress=progress,
            utf8_refusal=functools.cache(aud.utf8_refusal),  # one answer for the whole file
            fmt=fmt,
        )


def export_file(aud: Audience, list_id: str, to: Path | TextIO, statuses: list[str] | None) -> int:
    """Export the list's members, of the statuses named only when some are, to a file (written only
    once the list and the statuses are found good) or a stream. Returns how many were written."""
    wanted = [status_named(s) for s in statuses or []]
    with aud.engine.connect() as conn:
        require_list(conn, list_id)
        if isinstance(to, Path):
            with to.open("w", newline="", encoding="utf-8") as fh:
                return export_csv(conn, list_id, fh, statuses=wanted)
        return export_csv(conn, list_id, to, statuses=wanted)
