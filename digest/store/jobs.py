"""Background jobs: rows <-> digest.domain.Job. A job is claimed by one process at a time (the claim is
an UPDATE that only one can win); a running job's heartbeat says its process is alive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from digest.domain import Actor, Job, JobStatus
from digest.store.tables import jobs


def _job(row: Row[Any]) -> Job:
    return Job(row.id, row.kind, dict(row.params), JobStatus(row.status), row.done, row.total,
               dict(row.summary) if row.summary is not None else None, row.error, row.attempts,
               Actor(row.actor, row.user_id), row.created_at, row.started_at, row.finished_at)  # fmt: skip


def insert_job(conn: Connection, kind: str, params: dict[str, Any], actor: Actor, at: datetime) -> Job:
    job_id = conn.execute(
        insert(jobs)
        .values(
            kind=kind,
            params=params,
            status=JobStatus.QUEUED,
            done=0,
            attempts=0,
            actor=actor.name[:400],
            user_id=actor.user_id,
            created_at=at,
        )  # fmt: skip
        .returning(jobs.c.id)
    ).scalar_one()
    found = job_by_id(conn, job_id)
    assert found is not None  # inserted just now
    return found


def job_by_id(conn: Connection, job_id: int) -> Job | None:
    row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
    return _job(row) if row else None


def recent_jobs(conn: Connection, kind: str | None = None, limit: int = 20) -> list[Job]:
    query = select(jobs).order_by(jobs.c.id.desc()).limit(limit)
    if kind:
        query = query.where(jobs.c.kind == kind)
    return [_job(r) for r in conn.execute(query)]


def requeue_stale(conn: Connection, before: datetime) -> int:
    """Queue again the running jobs whose process stopped beating before `before` (it died)."""
    stale = (jobs.c.status == JobStatus.RUNNING) & (jobs.c.heartbeat_at < before)
    return conn.execute(update(jobs).where(stale).values(status=JobStatus.QUEUED)).rowcount


def claimed_on(conn: Connection, host: str) -> dict[int, str]:
    """The running jobs claimed by processes of this host: job id -> the claimant ("host:pid")."""
    rows = conn.execute(
        select(jobs.c.id, jobs.c.claimed_by).where(jobs.c.status == JobStatus.RUNNING,
                                                   jobs.c.claimed_by.like(f"{host}:%"))
    ).all()  # fmt: skip
    return {r.id: r.claimed_by for r in rows}


def requeue(conn: Connection, job_ids: list[int]) -> None:
    """Queue these running jobs again (their process is known to be gone)."""
    if job_ids:
        conn.execute(
            update(jobs).where(jobs.c.id.in_(job_ids), jobs.c.status == JobStatus.RUNNING)
            .values(status=JobStatus.QUEUED)
        )  # fmt: skip


def claim_next(conn: Connection, at: datetime, by: str) -> Job | None:
    """The oldest queued job, now running in the process `by` ("host:pid"); None if there is none (or
    another process won it)."""
    job_id = conn.execute(
        select(jobs.c.id).where(jobs.c.status == JobStatus.QUEUED).order_by(jobs.c.id).limit(1)
    ).scalar()
    if job_id is None:
        return None
    won = conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING,
            claimed_by=by,
            started_at=at,
            heartbeat_at=at,
            attempts=jobs.c.attempts + 1,
            done=0,
            error=None,
        )  # fmt: skip
    ).rowcount
    return job_by_id(conn, job_id) if won else None


def update_job(conn: Connection, job_id: int, **values: Any) -> None:
    """Progress (done, total, heartbeat_at) or the end (status, summary, error, finished_at)."""
    conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


def finish_job(conn: Connection, job_id: int, status: JobStatus, summary: dict[str, Any] | None,
               error: str | None, at: datetime) -> None:  # fmt: skip
    """The end: done (the progress then is all of it) or failed (the progress stays where it stopped)."""
    values: dict[str, Any] = {"status": status, "summary": summary, "error": error, "finished_at": at}
    if status == JobStatus.DONE:
        values["done"] = func.coalesce(jobs.c.total, jobs.c.done)
    conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))
