"""Scheduled runs: one row per slot of a list, so a slot fired twice makes one edition."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, select, update

from digest.domain import Run
from digest.store.db import insert_new
from digest.store.tables import runs


def _run(row: Row[*tuple[Any, ...]]) -> Run:
    return Run(row.list_id, row.slot, row.started_at, row.finished_at, row.edition_id, row.outcome)


def _key(list_id: str, slot: str) -> Any:
    return (runs.c.list_id == list_id) & (runs.c.slot == slot)


def start_run(conn: Connection, list_id: str, slot: str, at: datetime) -> bool:
    """Record the slot's run; False when another caller recorded it first (its record stands)."""
    return insert_new(conn, runs, {"list_id": list_id, "slot": slot, "started_at": at})


def load_run(conn: Connection, list_id: str, slot: str) -> Run | None:
    row = conn.execute(select(runs).where(_key(list_id, slot))).first()
    return _run(row) if row else None


def set_run_edition(conn: Connection, list_id: str, slot: str, edition_id: int | None) -> None:
    conn.execute(update(runs).where(_key(list_id, slot)).values(edition_id=edition_id))


def finish_run(conn: Connection, list_id: str, slot: str, outcome: str, at: datetime | None = None) -> None:
    conn.execute(
        update(runs).where(_key(list_id, slot)).values(finished_at=at or datetime.now(UTC), outcome=outcome)
    )


def unfinished_runs(conn: Connection, list_ids: Iterable[str], since: datetime) -> list[Run]:
    """Runs of these lists started since a moment that never finished (their process stopped)."""
    rows = conn.execute(
        select(runs)
        .where(runs.c.finished_at.is_(None), runs.c.started_at >= since, runs.c.list_id.in_(list(list_ids)))
        .order_by(runs.c.id)
    )
    return [_run(row) for row in rows]


def last_run(conn: Connection, list_id: str) -> Run | None:
    row = conn.execute(
        select(runs).where(runs.c.list_id == list_id).order_by(runs.c.id.desc()).limit(1)
    ).first()
    return _run(row) if row else None
