"""The scheduler: each due slot runs exactly once, across DST changes, restarts and processes."""

from __future__ import annotations

import email
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import policy
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from apscheduler.executors.base import BaseExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from digest import config
from digest.deliver.backends.file import FileBackend
from digest.deliver.notices import Notices
from digest.domain import Actor
from digest.editions import service
from digest.links import Links
from digest.lists import sync_lists
from digest.pipeline.dispatch import dispatch
from digest.pipeline.run import run_slot
from digest.pipeline.schedule import JOB_DEFAULTS, JOBS_TABLE, due_slot, fire_times, install_jobs, job_context
from digest.store.db import open_store
from digest.store.leases import Lease
from digest.store.tables import deliveries, editions, runs
from subscribers.importer import import_csv
from subscribers.tokens import Tokens
from tests.conftest import write_config

SECRET = "schedule-test-secret"


def setup_instance(instance, db_url, **list_overrides):
    cfg = config.load(write_config(instance, database_url=db_url))
    lists = [dict(cfg.get_list("world").model_dump(mode="json"), **list_overrides)]
    settings = config.load(write_config(instance, lists=lists))
    engine = open_store(settings.db_url)
    sync_lists(engine, settings)
    with engine.connect() as conn:  # the import commits chunk by chunk
        import_csv(conn, instance / "samples" / "subscribers.csv", "world", consent="test")
    return settings, engine


def add_article(instance, n: int, when: datetime) -> None:
    (instance / "samples" / "articles" / f"story-{n:03d}.md").write_text(
        f"---\nurl: https://news.example.org/story-{n}\npublished: {when.isoformat()}\n---\n"
        f"# Story number {n} of the schedule test\n\nThe body of story number {n}, long enough to be a lede here.\n"
    )


CONFIRMED = ["ada@example.org", "grace@example.org", "jean@example.fr", "greta@example.de"]  # in the CSV


def read_mail(path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def recipient(message: email.message.EmailMessage) -> str:
    return message["To"].addresses[0].addr_spec


def recipients_per_message(outbox) -> Counter:
    return Counter(recipient(read_mail(p)) for p in outbox.glob("*.eml"))


DST = [
    # (time zone, cron, the days around the spring and the autumn change)
    ("Europe/Paris", "30 2 * * *", [datetime(2026, 3, 27), datetime(2026, 10, 23)]),
    ("Europe/Paris", "30 2 * * 0", [datetime(2026, 3, 15), datetime(2026, 10, 11)]),
    ("America/New_York", "30 1 * * *", [datetime(2026, 3, 6), datetime(2026, 10, 30)]),
    ("America/New_York", "30 1 * * 0", [datetime(2026, 2, 22), datetime(2026, 10, 18)]),
]


@pytest.mark.parametrize(("tz", "cron", "starts"), DST, ids=[f"{t}-{c}" for t, c, _ in DST])
def test_each_due_day_runs_exactly_once_across_both_dst_changes(instance, db_url, tz, cron, starts):
    settings, engine = setup_instance(instance, db_url, schedule=cron, timezone=tz)
    lst = settings.get_list("world")
    links, outbox = Links(settings.base_url, Tokens(SECRET)), instance / "outbox"
    n = 0
    expected_days = set()
    for start in starts:
        local = start.replace(tzinfo=ZoneInfo(tz))
        span = timedelta(days=21 if cron.endswith("0") else 5)
        firings = fire_times(lst, local, local + span)
        for fire in firings:  # APScheduler's own firing times; the autumn repeat fires twice
            n += 1
            add_article(instance, n, fire - timedelta(hours=1))
            with time_machine.travel(fire, tick=False):  # the clock every part of digest reads
                run_slot(engine, settings, "world", due_slot(lst, fire), FileBackend(outbox), links)
        expected_days |= {f.astimezone(ZoneInfo(tz)).date() for f in firings}
    with engine.connect() as conn:
        slots = conn.execute(select(runs.c.slot)).scalars().all()
        sent = conn.execute(select(editions.c.created_at).where(editions.c.status == "sent")).scalars().all()
    assert sorted({datetime.fromisoformat(s).date() for s in slots}) == sorted(expected_days)
    assert len(slots) == len(expected_days)  # one run per due day, none twice
    assert len(sent) == len(expected_days)  # and one edition each
    per_recipient = recipients_per_message(outbox)
    assert set(per_recipient.values()) == {len(expected_days)}  # one copy per subscriber per day


def test_apscheduler_repeats_the_autumn_hour_and_the_slot_key_absorbs_it():
    lst = config.ListSettings(
        id="x",
        name="X",
        from_address="a@example.org",
        from_name="A",
        schedule="30 2 * * *",
        timezone="Europe/Paris",
    )
    firings = fire_times(lst, datetime(2026, 10, 24, 12, tzinfo=UTC), datetime(2026, 10, 25, 12, tzinfo=UTC))
    assert len(firings) == 2  # 02:30 CEST and, an hour later, 02:30 CET
    assert {due_slot(lst, f) for f in firings} == {"2026-10-25T02:30"}


class Crash(BaseException):
    """The process dying mid-send (a kill): nothing in it gets to record anything."""


class CrashOnce(FileBackend):
    def __init__(self, folder):
        super().__init__(folder)
        self.crashed = False

    def send(self, batch):
        if not self.crashed:
            self.crashed = True
            raise Crash
        return super().send(batch)


def test_a_restart_in_the_middle_of_a_run_sends_nothing_twice(instance, db_url):
    settings, engine = setup_instance(instance, db_url)
    links, outbox = Links(settings.base_url, Tokens(SECRET)), instance / "outbox"
    now = datetime.now(UTC)
    slot = due_slot(settings.get_list("world"), now)
    with pytest.raises(Crash):
        run_slot(engine, settings, "world", slot, CrashOnce(outbox), links, now=now)
    with engine.connect() as conn:
        assert conn.execute(select(runs.c.finished_at)).scalar() is None  # the run is unfinished
    # after the restart, the dispatch job finishes the run; firing the slot again changes nothing
    lines = list(dispatch(engine, settings, FileBackend(outbox), links, now))
    assert any("resumed run" in line for line in lines)
    again = run_slot(engine, settings, "world", slot, FileBackend(outbox), links, now=now)
    assert again.outcome.startswith("already ran")
    assert list(dispatch(engine, settings, FileBackend(outbox), links, now)) == []
    assert recipients_per_message(outbox) == Counter({a: 1 for a in recipients_per_message(outbox)})
    assert len(recipients_per_message(outbox)) == 4
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(editions)).scalar() == 1


RACE = """
import sys
from datetime import datetime, UTC
from digest import config
from digest.deliver.backends.file import FileBackend
from digest.deliver.notices import Notices
from digest.pipeline.run import run_slot
from digest.links import Links
from digest.store.db import open_store
from digest.store.leases import Lease
from subscribers.tokens import Tokens
settings = config.load(sys.argv[1])
engine = open_store(settings.db_url)
now = datetime.fromisoformat(sys.argv[2])
r = run_slot(engine, settings, "world", "2026-11-30T07:00", FileBackend(settings.path("outbox")),
             Links(settings.base_url, Tokens("k")), now=now)
print(r.outcome)
"""


def test_two_processes_firing_the_same_slot_make_one_edition(instance, db_url):
    settings, engine = setup_instance(instance, db_url)
    now = datetime.now(UTC).isoformat()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(instance / "config.yaml"), now],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=instance,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(runs)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(editions)).scalar() == 1
    counts = recipients_per_message(instance / "outbox")
    assert len(counts) == 4 and set(counts.values()) == {1}


def test_the_lease_has_one_holder_and_passes_on(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'lease.db'}")
    first, second = Lease(engine, ttl=0.5, holder="first"), Lease(engine, ttl=0.5, holder="second")
    assert first.acquire() and not second.acquire()
    assert first.acquire()  # renewal
    first.release()
    assert second.acquire() and not first.acquire()
    time.sleep(0.6)  # second stopped renewing: its lease expires
    assert first.acquire()


def test_a_reviewed_list_waits_for_approval_or_its_deadline(instance, db_url):
    review = {"editors": ["desk@example.org", "chief@example.org"], "deadline_hours": 2, "at_deadline": "skip"}
    settings, engine = setup_instance(instance, db_url, review=review)
    links, outbox = Links(settings.base_url, Tokens(SECRET)), instance / "outbox"
    now = datetime.now(UTC)
    mailed = []

    def notify(to, subject, text, html, *, list_id):
        mailed.append((to, subject, text))

    notify = Notices(settings, engine, send=notify)
    result = run_slot(engine, settings, "world", "2026-11-30T07:00", FileBackend(outbox), links, now, notify)
    assert "waiting for an editor's approval" in result.outcome
    assert [m[0] for m in mailed] == ["desk@example.org", "chief@example.org"]
    review_url = next(line for line in mailed[0][2].splitlines() if line.startswith("Preview: "))[9:]
    assert review_url.startswith("https://digest.example.org/review/")
    assert f"digest editions approve {result.edition_id}" in mailed[0][2]
    # firing the slot again, or the dispatch job, does not mail them twice
    run_slot(engine, settings, "world", "2026-11-30T07:00", FileBackend(outbox), links, now, notify)
    assert len(mailed) == 2
    assert list(dispatch(engine, settings, FileBackend(outbox), links, now + timedelta(hours=1))) == []
    assert not outbox.exists() or not list(outbox.glob("*.eml"))
    service.transition(engine, result.edition_id, "approved", actor=Actor.named("desk@example.org"))
    lines = list(dispatch(engine, settings, FileBackend(outbox), links, now + timedelta(hours=1)))
    assert lines == [f"edition #{result.edition_id} sent: {{'sent': 4}}"]

    # the next draft is not approved in time: at the deadline it is skipped
    add_article(instance, 1, now)
    later = run_slot(engine, settings, "world", "2026-12-01T07:00", FileBackend(outbox), links, now, notify)
    lines = list(dispatch(engine, settings, FileBackend(outbox), links, now + timedelta(hours=3)))
    assert lines == [f"edition #{later.edition_id} canceled: not approved before the review deadline"]
    assert len(list(outbox.glob("*.eml"))) == 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_serve_processes_share_one_scheduler_and_hand_it_over(instance):
    write_config(instance, scheduler={"lease_seconds": 1.5})
    env = {**os.environ, "DIGEST_SECRET_KEY": SECRET, "DIGEST_CONFIG": str(instance / "config.yaml")}
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "digest", "serve", "--port", str(port)],
            cwd=instance,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]

    def active() -> list[bool]:
        return [httpx.get(f"http://127.0.0.1:{p}/healthz", timeout=2).json()["scheduler"] for p in ports]

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if sum(active()) == 1:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"no single scheduler: {[p.poll() for p in procs]}"
            time.sleep(0.2)
        for _ in range(5):  # and it stays one, while both renew
            assert sum(active()) == 1
            time.sleep(0.3)
        holder = active().index(True)
        procs[holder].send_signal(signal.SIGTERM)
        procs[holder].wait(timeout=20)
        stopped = procs[holder].stderr.read()
        # graceful: the lifespan ended (scheduler shut down, lease released); uvicorn then re-raises SIGTERM
        assert "Application shutdown complete" in stopped and "Traceback" not in stopped
        other = ports[1 - holder]
        deadline = time.monotonic() + 10
        while not httpx.get(f"http://127.0.0.1:{other}/healthz", timeout=2).json()["scheduler"]:
            assert time.monotonic() < deadline, "the other server did not take the scheduler over"
            time.sleep(0.2)
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=20)


class RunNothing(BaseExecutor):
    """An executor that runs no job: the tests fire the stored jobs themselves, one at a time."""

    def _do_submit_job(self, job, run_times):
        pass


def stored_jobs(engine, config_path, lists) -> dict[str, Job]:
    """The jobs as APScheduler keeps them: installed in the SQL job store, then read back from it."""
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
        executors={"default": RunNothing()},
        job_defaults=JOB_DEFAULTS,
        timezone=UTC,
    )
    scheduler.start(paused=True)
    install_jobs(scheduler, str(config_path), lists)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    return jobs


def fire(job: Job) -> None:
    """What APScheduler's executor does with a due job: call its function with its stored arguments."""
    job.func(*job.args, **job.kwargs)


def test_restarts_keep_one_job_per_list_in_the_job_store(instance, db_url):
    settings, engine = setup_instance(instance, db_url)
    other = settings.get_list("world").model_copy(update={"id": "other"})
    config_path = instance / "config.yaml"

    first = stored_jobs(engine, config_path, [settings.get_list("world"), other])
    assert set(first) == {"list:world", "list:other", "dispatch"}
    assert str(first["list:world"].trigger.timezone) == "Europe/Paris"
    again = stored_jobs(engine, config_path, [settings.get_list("world")])  # `other` left config.yaml
    assert set(again) == {"list:world", "dispatch"}


@pytest.fixture
def job_env(monkeypatch):
    """The environment `digest serve` gives its jobs; their per-process context is dropped afterwards."""
    monkeypatch.setenv(config.SECRET_KEY_ENV, SECRET)
    yield
    job_context.cache_clear()


def test_the_job_apscheduler_fires_runs_an_automatic_list_and_the_dispatch_job_resumes_it(
    instance, db_url, job_env
):
    settings, engine = setup_instance(instance, db_url)
    jobs = stored_jobs(engine, instance / "config.yaml", settings.lists)
    outbox = instance / "outbox"
    outbox.write_text("")  # the disk fails under the first run: a file where the outbox folder goes
    with pytest.raises(FileExistsError):
        fire(jobs["list:world"])
    with engine.connect() as conn:
        run = conn.execute(select(runs)).one()
        assert run.finished_at is None and run.edition_id is not None  # built, interrupted mid-send
    outbox.unlink()
    with engine.connect() as conn:  # the batch in flight is deferred, flagged as possibly sent
        assert conn.execute(select(deliveries.c.status).distinct()).scalars().all() == ["deferred"]
    later = datetime.now(UTC) + timedelta(seconds=settings.delivery.retry.defer_seconds + 60)
    with time_machine.travel(later):
        fire(jobs["dispatch"])  # a dispatch once the rows are due resumes the send and finishes the run
    assert recipients_per_message(outbox) == Counter(CONFIRMED)
    with engine.connect() as conn:
        run = conn.execute(select(runs)).one()
        assert run.finished_at is not None and "sent" in run.outcome
        assert conn.execute(select(editions.c.status)).scalars().all() == ["sent"]
    fire(jobs["list:world"])  # the same slot fired again: nothing more
    fire(jobs["dispatch"])
    assert recipients_per_message(outbox) == Counter(CONFIRMED)


def test_the_job_apscheduler_fires_mails_a_reviewed_lists_editors_and_sends_at_the_deadline(
    instance, db_url, job_env
):
    editors = ["desk@example.org", "chief@example.org"]
    review = {"editors": editors, "deadline_hours": 1, "at_deadline": "send"}
    settings, engine = setup_instance(instance, db_url, review=review)
    jobs = stored_jobs(engine, instance / "config.yaml", settings.lists)
    outbox = instance / "outbox"
    fire(jobs["list:world"])
    mails = {recipient(m): m for m in map(read_mail, outbox.glob("*.eml"))}
    assert set(mails) == set(editors)  # the editors, and nobody else yet
    text = mails["desk@example.org"].get_body(("plain",)).get_content()
    assert "Preview: https://digest.example.org/review/" in text
    with engine.connect() as conn:
        [(edition_id, status)] = conn.execute(select(editions.c.id, editions.c.status)).all()
        assert status == "draft"
        assert "waiting for an editor's approval" in conn.execute(select(runs.c.outcome)).scalar()
    fire(jobs["list:world"])  # fired again: the editors are not asked twice
    fire(jobs["dispatch"])  # before the deadline: the draft waits
    assert len(list(outbox.glob("*.eml"))) == 2
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=1, minutes=1)):
        fire(jobs["dispatch"])  # past the deadline: sent as it is
    with engine.connect() as conn:
        assert conn.execute(select(editions.c.status).where(editions.c.id == edition_id)).scalar() == "sent"
    assert recipients_per_message(outbox) == Counter(CONFIRMED + editors)


def test_a_lease_held_by_a_killed_process_is_taken_over_at_once(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'lease.db'}")
    child = subprocess.run(
        [sys.executable, "-c", "import os, socket; print(f'{socket.gethostname()}:{os.getpid()}:abc')"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = Lease(engine, ttl=600, holder=child.stdout.strip())  # that process has exited
    assert dead.acquire()
    assert Lease(engine, ttl=600).acquire()  # no need to wait ten minutes
    alive = Lease(engine, ttl=600)
    assert not alive.acquire()  # a live holder keeps it
