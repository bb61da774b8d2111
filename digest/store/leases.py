"""Leases in the database: for each thing only one process may do at a time, at most one holder,
renewed while alive, taken over when it expires, or at once when its holder is a process of this
host that has died (a kill -9, a crash).

    "scheduler"            `digest serve` runs the scheduler only while it holds it: several
                           processes sharing one database never run a job twice (APScheduler 3
                           job stores must not be shared)
    "send:<edition id>"    the one process sending an edition; renewed with every batch
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, delete, or_, select, update

from digest.errors import Busy
from digest.store.db import insert_new
from digest.store.tables import leases

SCHEDULER = "scheduler"


def send_lease_name(edition_id: int) -> str:
    return f"send:{edition_id}"


@dataclass(frozen=True)
class Holder:
    holder: str  # host:pid:tag
    expires_at: datetime


class Lease:
    """One holder's claim on the lease `name`. The holder names this host, this process and this
    Lease, so two threads of one process never both hold it."""

    def __init__(
        self,
        engine: Engine,
        name: str = SCHEDULER,
        ttl: float = 30.0,
        holder: str | None = None,
        *,
        purpose: str | None = None,
    ):
        self.engine = engine
        self.name = name
        self.ttl = timedelta(seconds=ttl)
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.purpose = purpose or f"the {name} lease"  # for the Busy message: "the send of edition #3"

    def take(self, conn: Connection) -> bool:
        """Take or renew the lease in the caller's transaction; True while this holder has it."""
        now = datetime.now(UTC)
        current = conn.execute(select(leases.c.holder).where(leases.c.name == self.name)).scalar()
        if current is None:
            return insert_new(
                conn, leases, {"name": self.name, "holder": self.holder, "expires_at": now + self.ttl}
            )
        free = or_(leases.c.holder == self.holder, leases.c.expires_at < now)
        if current != self.holder and dead_local(current):
            free = or_(free, leases.c.holder == current)
        return bool(
            conn.execute(
                update(leases)
                .where(leases.c.name == self.name, free)
                .values(holder=self.holder, expires_at=now + self.ttl)
            ).rowcount
        )

    def acquire(self) -> bool:
        """Take or renew the lease in a transaction of its own."""
        with self.engine.begin() as conn:
            return self.take(conn)

    def hold(self, conn: Connection) -> None:
        """Take or renew the lease in the caller's transaction, or raise Busy naming its holder."""
        if not self.take(conn):
            current = conn.execute(select(leases.c.holder).where(leases.c.name == self.name)).scalar()
            raise Busy(f"{self.purpose} is held by another process ({current})")

    def release(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(leases).where(leases.c.name == self.name, leases.c.holder == self.holder))

    def __enter__(self) -> Lease:
        with self.engine.begin() as conn:
            self.hold(conn)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def dead_local(holder: str | None) -> bool:
    """True when the holder ("host:pid" or "host:pid:tag") names a process of this host that has
    ended (a kill -9, a crash): its lease can be taken over at once."""
    if not holder:
        return False
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def holder_of(conn: Connection, name: str = SCHEDULER) -> Holder | None:
    """Who holds the lease now; None when nobody does (never held, released, or expired)."""
    row = conn.execute(select(leases.c.holder, leases.c.expires_at).where(leases.c.name == name)).first()
    if row is None or row.expires_at <= datetime.now(UTC):
        return None
    return Holder(row.holder, row.expires_at)
