"""Background jobs (digest.jobs) on SQLite and PostgreSQL: a job runs once, its progress and summary are
kept; a handler's DigestError fails it with its message; a job whose process died is run again by
another runner; a job of no known kind is refused."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from digest.domain import Actor, Job, JobStatus
from digest.errors import Invalid
from digest.jobs import Context, JobRunner
from digest.store.jobs import insert_job
from digest.store.tables import jobs as table

WHO = Actor("Ada <ada@example.org>", 7)


def _runner(engine, tmp_path, ran: list[int]) -> JobRunner:  # noqa: ANN001
    def count(ctx: Context) -> dict[str, int]:
        ran.append(ctx.job.id)
        ctx.progress(0, ctx.params["n"])
        if ctx.params.get("fail"):
            raise Invalid("the file has no email column")
        ctx.report_path.write_text("row,reason\n3,bad address\n")
        return {"counted": ctx.params["n"]}

    return JobRunner(engine, {"count": count}, tmp_path / "jobs")


def _finished(runner: JobRunner, job_id: int) -> Job:
    deadline = time.monotonic() + 20
    while not (job := runner.get(job_id)).finished and time.monotonic() < deadline:
        time.sleep(0.05)
    runner.stop()
    return job


def _left_running(engine, beat: datetime, by: str | None = None) -> int:  # noqa: ANN001
    """A job as a process that claimed it leaves it: running, its last beat at `beat`."""
    with engine.begin() as conn:
        job = insert_job(conn, "count", {"n": 3}, WHO, beat)
        conn.execute(update(table).where(table.c.id == job.id)
                     .values(status="running", attempts=1, heartbeat_at=beat, claimed_by=by))
    return job.id


def test_a_job_runs_once_and_keeps_its_summary_and_report(engine, tmp_path):
    ran: list[int] = []
    runner = _runner(engine, tmp_path, ran)
    job = runner.submit("count", {"n": 5}, WHO)
    assert job.status == JobStatus.QUEUED and job.actor == WHO
    done = _finished(runner, job.id)
    assert done.status == JobStatus.DONE and done.summary == {"counted": 5}
    assert (done.done, done.total, done.percent) == (5, 5, 100)
    assert ran == [job.id]  # once
    report = runner.report(done)
    assert report is not None and report.read_text().splitlines()[1] == "3,bad address"
    assert [j.id for j in runner.recent()] == [job.id]


def test_a_handlers_error_fails_the_job_with_its_message(engine, tmp_path):
    runner = _runner(engine, tmp_path, [])
    job = runner.submit("count", {"n": 2, "fail": True}, WHO)
    failed = _finished(runner, job.id)
    assert failed.status == JobStatus.FAILED and failed.error == "the file has no email column"
    assert runner.report(failed) is None


def test_a_job_whose_process_died_is_run_again_by_another(engine, tmp_path):
    ran: list[int] = []
    job_id = _left_running(engine, datetime.now(UTC) - timedelta(minutes=5))
    other = _runner(engine, tmp_path, ran)
    assert other.run_pending() == 1
    again = other.get(job_id)
    assert again.status == JobStatus.DONE and again.attempts == 2 and ran == [job_id]


def test_a_running_job_that_still_beats_is_left_to_its_process(engine, tmp_path):
    runner = _runner(engine, tmp_path, [])
    job_id = _left_running(engine, datetime.now(UTC))
    assert runner.run_pending() == 0 and runner.get(job_id).status == JobStatus.RUNNING


def test_an_unknown_kind_is_refused(engine, tmp_path):
    with pytest.raises(Invalid, match="no job of kind 'nope'"):
        _runner(engine, tmp_path, []).submit("nope", {}, WHO)


def test_a_job_whose_process_on_this_host_is_gone_is_run_again_at_once(engine, tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process of this host that has ended: its pid answers no signal
    ran: list[int] = []
    job_id = _left_running(engine, datetime.now(UTC), by=f"{socket.gethostname()}:{gone.pid}")
    alive = _left_running(engine, datetime.now(UTC), by=f"{socket.gethostname()}:{os.getppid()}")
    runner = _runner(engine, tmp_path, ran)
    assert runner.run_pending() == 1 and ran == [job_id]  # not waiting for its beat to go stale
    assert runner.get(alive).status == JobStatus.RUNNING  # its process still runs it
