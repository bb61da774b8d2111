"""Long work in batches that shares the database: commit a batch, then give the others their turn.

SQLite has one writer at a time, and a writer that is kept waiting does not queue: its busy handler
sleeps and tries again, up to 100 ms apart. Work that commits a batch and begins the next at once
takes the lock again before the waiter wakes, so a sign-in can wait until its busy timeout runs out
while an erasure or an import runs (seen on a loaded machine). After each commit, `commit` leaves the
lock free for a quarter of the time the batch held it, at most PAUSE_MAX: the work slows by at most
a quarter, and a waiter gets its turn within a few batches. PostgreSQL locks rows, not the whole
database: there is no pause.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection

PAUSE_MAX = 0.1  # seconds: the busy handler's longest sleep
SHARE = 0.25  # of the time a batch held the lock, left free after it


def commit(conn: Connection, began: float) -> None:
    """Commit the batch of writes begun at `began` (time.monotonic()), then give the others a turn."""
    conn.commit()
    if conn.dialect.name == "sqlite":
        time.sleep(min((time.monotonic() - began) * SHARE, PAUSE_MAX))
