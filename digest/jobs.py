"""Background jobs: work the admin console starts and then watches (an import, a bulk action).

A job is a row (digest.store.jobs): its kind, its parameters, who started it, its progress and, when
it ends, its summary or its error. A `JobRunner` runs them one at a time on a thread of the process
that serves the console; several processes on one database each run one, and a job is claimed by one
only. A handler reports progress through its `Context`, may write a report file (the rows an import
rejected), and returns the job's summary; a `DigestError` it raises fails the job with its message.

A running job names its process ("host:pid") and its runner beats (every HEARTBEAT seconds). A job
whose process died (kill -9, a crash) is queued again, and run from the start: at once by a runner
on the same host, which sees that the process is gone, else after STALE seconds without a beat, by
any runner. Handlers are idempotent (an import merges what it stored before; a bulk action done
twice is done once), so an interrupted job is finished, never half-done or lost.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from digest.domain import Actor, Job, JobStatus
from digest.errors import DigestError, Invalid, NotFound
from digest.store import jobs as store

log = logging.getLogger(__name__)
HEARTBEAT = 4.0  # seconds between a running job's beats
STALE = 20.0  # a running job not heard of for this long lost its process
PROGRESS_EVERY = 0.5  # seconds: progress is written at most this often
ATTEMPTS = 3  # a job whose process died this many times is failed, not run again


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    """What a handler gets: its job, the database, a file for its report, and a progress callback."""

    job: Job
    engine: Engine
    report_path: Path  # the handler's report, if it writes one (a CSV the console offers for download)
    _written: float = field(default=0.0, repr=False)

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    @property
    def actor(self) -> Actor:
        return self.job.actor

    def progress(self, done: int, total: int | None = None) -> None:
        """`done` of `total` (None: unknown yet, or unchanged) items so far."""
        moment = time.monotonic()
        if moment - self._written < PROGRESS_EVERY:
            return
        self._written = moment
        values: dict[str, Any] = {"done": done, "heartbeat_at": _now()}
        if total is not None:
            values["total"] = total
        with self.engine.begin() as conn:
            store.update_job(conn, self.job.id, **values)


Handler = Callable[[Context], dict[str, Any]]  # returns the job's summary


def _alive(claimant: str) -> bool:
    """Whether the process "host:pid" of this host is running (a pid reused since counts as running:
    its job then waits for STALE instead)."""
    try:
        os.kill(int(claimant.rsplit(":", 1)[1]), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


class JobRunner:
    def __init__(self, engine: Engine, handlers: Mapping[str, Handler], folder: Path, *, poll: float = 1.0):
        self.engine, self.handlers, self.folder, self.poll = engine, handlers, folder, poll
        self._wake, self._stopping = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- what the console calls ----------------------------------------------------------------------

    def submit(self, kind: str, params: dict[str, Any], actor: Actor) -> Job:
        """Queue a job of a known kind; it starts as soon as the runner is free."""
        if kind not in self.handlers:
            raise Invalid(f"no job of kind {kind!r} (known: {', '.join(sorted(self.handlers))})")
        with self.engine.begin() as conn:
            job = store.insert_job(conn, kind, params, actor, _now())
        self.start()
        self._wake.set()
        return job

    def get(self, job_id: int) -> Job:
        with self.engine.connect() as conn:
            job = store.job_by_id(conn, job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        return job

    def recent(self, kind: str | None = None, limit: int = 20) -> list[Job]:
        with self.engine.connect() as conn:
            return store.recent_jobs(conn, kind, limit)

    def report(self, job: Job) -> Path | None:
        """The report file the job's handler wrote, if it wrote one."""
        path = self._report_path(job.id)
        return path if path.is_file() else None

    # --- the thread ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Run queued jobs, and those a dead process left, on a thread (once; safe to call again)."""
        with self._lock:
            if self._thread and self._thread.is_alive():
                return
            self._stopping.clear()
            self._thread = threading.Thread(target=self._loop, name="digest-jobs", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop taking jobs; the running one finishes within `timeout` or is resumed by the next start."""
        self._stopping.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def run_pending(self) -> int:
        """Run every queued job here and now, then return how many ran (the CLI and tests)."""
        ran = 0
        while (job := self._claim()) is not None:
            self._run(job)
            ran += 1
        return ran

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                job = self._claim()
            except Exception:  # the database is away: try again later, never die
                log.exception("jobs: could not look for work")
                job = None
            if job is None:
                self._wake.wait(self.poll)
                self._wake.clear()
                continue
            self._run(job)

    def _claim(self) -> Job | None:
        host, me = socket.gethostname(), f"{socket.gethostname()}:{os.getpid()}"
        with self.engine.begin() as conn:
            store.requeue_stale(conn, _now() - timedelta(seconds=STALE))
            gone = [
                job_id for job_id, by in store.claimed_on(conn, host).items() if by != me and not _alive(by)
            ]
            store.requeue(conn, gone)
            return store.claim_next(conn, _now(), me)

    def _report_path(self, job_id: int) -> Path:
        return self.folder / str(job_id) / "report.csv"

    def _run(self, job: Job) -> None:
        if job.attempts > ATTEMPTS:
            return self._end(job, JobStatus.FAILED, error="its process stopped during every attempt")
        handler = self.handlers.get(job.kind)
        if handler is None:
            return self._end(job, JobStatus.FAILED, error=f"this version of digest has no job {job.kind!r}")
        report = self._report_path(job.id)
        report.parent.mkdir(parents=True, exist_ok=True)
        report.unlink(missing_ok=True)  # a rerun writes its own
        beating = threading.Event()
        beat = threading.Thread(target=self._beat, args=(job.id, beating), daemon=True)
        beat.start()
        try:
            summary = handler(Context(job, self.engine, report))
        except DigestError as e:
            self._end(job, JobStatus.FAILED, error=str(e))
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            self._end(
                job, JobStatus.FAILED, error="an internal error stopped it (the server's log says which)"
            )
        else:
            self._end(job, JobStatus.DONE, summary=summary)
        finally:
            beating.set()
            beat.join()

    def _beat(self, job_id: int, done: threading.Event) -> None:
        while not done.wait(HEARTBEAT):
            try:
                with self.engine.begin() as conn:
                    store.update_job(conn, job_id, heartbeat_at=_now())
            except Exception:
                log.exception("jobs: could not beat for job %s", job_id)

    def _end(self, job: Job, status: JobStatus, *, summary: dict[str, Any] | None = None,
             error: str | None = None) -> None:  # fmt: skip
        with self.engine.begin() as conn:
            store.finish_job(conn, job.id, status, summary, error, _now())
