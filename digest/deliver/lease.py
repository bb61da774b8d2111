"""One process sends an edition at a time: it holds the send's lease and renews it every batch.

A lease left by a process that died on this host is taken over at once (its pid is gone);
one left by another host is taken over when it expires.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine

from digest.errors import Busy
from digest.lease import dead_local
from digest.store.editions import drop_lease, load_send, take_lease

LEASE = timedelta(minutes=15)


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Lease:
    def __init__(self, engine: Engine, edition_id: int):
        self.engine = engine
        self.edition_id = edition_id
        self.owner = _owner()

    def renew(self, conn: Connection) -> None:
        current = load_send(conn, self.edition_id)
        holder = current.owner if current else None
        stale = holder if holder != self.owner and dead_local(holder) else None
        if not take_lease(conn, self.edition_id, self.owner, datetime.now(UTC) + LEASE, expired_owner=stale):
            raise Busy(f"edition #{self.edition_id} is being sent by another process ({holder})")

    def __enter__(self) -> Lease:
        with self.engine.begin() as conn:
            self.renew(conn)
        return self

    def __exit__(self, *exc: object) -> None:
        with self.engine.begin() as conn:
            drop_lease(conn, self.edition_id, self.owner)
