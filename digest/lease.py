"""A lease in the database: at most one holder at a time, renewed while alive, taken over when it
expires. `digest serve` runs the scheduler only while it holds the lease, so several processes
sharing one database never run a job twice (APScheduler 3 job stores must not be shared)."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from digest.store.tables import leases


def _now() -> datetime:
    return datetime.now(UTC)


class Lease:
    def __init__(self, engine: Engine, name: str = "scheduler", ttl: float = 30.0, holder: str | None = None):
        self.engine = engine
        self.name = name
        self.ttl = timedelta(seconds=ttl)
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    def acquire(self) -> bool:
        """Take or renew the lease. True while this holder has it. A lease expires, or is taken
        over at once when its holder is a process of this host that no longer exists."""
        now = _now()
        with self.engine.begin() as conn:
            current = conn.execute(select(leases.c.holder).where(leases.c.name == self.name)).scalar()
            free = leases.c.expires_at < now
            if current and current != self.holder and dead_local(current):
                free = leases.c.holder == current
            renewed = conn.execute(
                update(leases)
                .where(leases.c.name == self.name)
                .where(or_(leases.c.holder == self.holder, free))
                .values(holder=self.holder, expires_at=now + self.ttl)
            ).rowcount
            if renewed:
                return True
            if conn.execute(select(leases.c.name).where(leases.c.name == self.name)).first():
                return False
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(leases).values(name=self.name, holder=self.holder, expires_at=now + self.ttl)
                )
            return True
        except IntegrityError:
            return False  # another process took it in between

    def release(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(leases).where(leases.c.name == self.name, leases.c.holder == self.holder))


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


def holder_of(engine: Engine, name: str = "scheduler") -> tuple[str, datetime] | None:
    with engine.connect() as conn:
        row = conn.execute(select(leases.c.holder, leases.c.expires_at).where(leases.c.name == name)).first()
    return (row.holder, row.expires_at) if row else None
