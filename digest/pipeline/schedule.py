"""APScheduler wiring. Jobs only trigger: they call the same services the CLI calls.

- one cron job per list (its schedule in its time zone), id `list:<id>`, replace_existing, so a
  restart never adds a copy; a run is keyed by its slot (see digest.pipeline.run), so a firing
  that repeats (the autumn DST hour, a second process, a restart) sends nothing twice;
- one `dispatch` job every 30 s: resumes interrupted sends and runs, sends approved or scheduled
  editions that are due, and applies review deadlines.

Job defaults, chosen deliberately: coalesce (a backlog of missed firings runs once),
max_instances=1, and an hour of misfire grace (a process restarted within the hour still runs
the slot it missed; later than that, the slot is skipped rather than a stale digest sent).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from digest import config
from digest.config import ListSettings, Settings
from digest.editions.calendar import trigger_of
from digest.errors import ConfigError
from digest.links import Links
from digest.store.leases import Lease

if TYPE_CHECKING:  # the job modules are imported when a job first runs
    from digest.deliver.backends import Backend
    from digest.deliver.notices import Notices

log = logging.getLogger("digest.pipeline.schedule")

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
DISPATCH_SECONDS = 30
JOBS_TABLE = "scheduler_jobs"
# A list's run and the dispatch job may both send; within the lease holder they take turns.
_SENDING = threading.Lock()


def fire_times(lst: ListSettings, start: datetime, end: datetime) -> list[datetime]:
    """The list's firing times in [start, end], as APScheduler computes them (DST repeats included)."""
    trigger, times, cursor = trigger_of(lst), [], start.astimezone(UTC)
    while (t := trigger.get_next_fire_time(None, cursor)) is not None and t <= end:
        times.append(t)
        # Step in UTC: wall-clock arithmetic would loop on the repeated autumn hour.
        cursor = t.astimezone(UTC) + timedelta(minutes=1)
    return times


def due_slot(lst: ListSettings, now: datetime) -> str:
    """The key of the slot a firing at `now` belongs to: the local wall-clock time of the latest
    firing at or before `now` (within the misfire grace), to the minute. The two firings of a time
    in the repeated autumn hour share one key."""
    grace = timedelta(seconds=JOB_DEFAULTS["misfire_grace_time"])
    times = fire_times(lst, now - grace, now)
    slot = times[-1] if times else now
    return slot.astimezone(ZoneInfo(lst.timezone)).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class JobContext:
    """What a job needs besides its arguments, made once per process from config.yaml."""

    settings: Settings
    engine: Engine
    backend: Backend
    links: Links
    notices: Notices  # mails a reviewed list's editors


@lru_cache(maxsize=4)
def job_context(config_path: str) -> JobContext:
    """The jobs' context for this config.yaml; the first job of the process makes it."""
    from digest.deliver.backends import make_backend
    from digest.deliver.notices import Notices
    from digest.store.db import open_store
    from subscribers.tokens import Tokens

    settings = config.load(config_path)
    engine = open_store(settings.db_url)
    key = config.secret(config.SECRET_KEY_ENV)
    if not key:
        raise ConfigError(f"{config.SECRET_KEY_ENV} is not set: the scheduler cannot sign links")
    return JobContext(
        settings=settings,
        engine=engine,
        backend=make_backend(settings),
        links=Links(settings.base_url, Tokens(key)),
        notices=Notices(settings, engine),
    )


def run_list_job(config_path: str, list_id: str) -> None:
    """The job APScheduler fires for a list (module-level, plain arguments: it is pickled)."""
    from digest.pipeline.run import enqueue_slot, run_slot

    ctx = job_context(config_path)
    now = datetime.now(UTC)
    slot = due_slot(ctx.settings.get_list(list_id), now)
    if ctx.settings.execution == "celery":
        log.info("list %s slot %s: %s", list_id, slot, enqueue_slot(ctx.engine, ctx.settings, list_id, slot, now))
        return
    with _SENDING:
        result = run_slot(ctx.engine, ctx.settings, list_id, slot, ctx.backend, ctx.links, now, ctx.notices)
    log.info("list %s slot %s: %s", result.list_id, result.slot, result.outcome)


def dispatch_job(config_path: str) -> None:
    """The job APScheduler fires every DISPATCH_SECONDS."""
    from digest.pipeline.dispatch import dispatch

    ctx = job_context(config_path)
    with _SENDING:
        for line in dispatch(
            ctx.engine, ctx.settings, ctx.backend, ctx.links, datetime.now(UTC), ctx.notices
        ):
            log.info("dispatch: %s", line)


def install_jobs(scheduler: BackgroundScheduler, config_path: str, lists: list[ListSettings]) -> None:
    wanted = {f"list:{lst.id}" for lst in lists}
    for lst in lists:
        scheduler.add_job(
            run_list_job,
            trigger_of(lst),
            id=f"list:{lst.id}",
            name=f"digest of {lst.id}",
            args=[config_path, lst.id],
            replace_existing=True,
        )
    scheduler.add_job(
        dispatch_job,
        "interval",
        seconds=DISPATCH_SECONDS,
        id="dispatch",
        name="dispatch",
        args=[config_path],
        replace_existing=True,
        next_run_time=datetime.now(UTC),  # at once: resume what a stopped process left unfinished
    )
    for job in scheduler.get_jobs():
        if job.id.startswith("list:") and job.id not in wanted:
            job.remove()  # a list removed from config.yaml


class SchedulerService:
    """Runs the scheduler in this process only while it holds the database's scheduler lease."""

    def __init__(
        self, config_path: str, engine: Engine, lists: list[ListSettings], ttl: float = 30.0
    ) -> None:
        self.config_path, self.engine, self.lists = config_path, engine, lists
        self.lease = Lease(engine, ttl=ttl)
        self.scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="digest-lease", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        interval = self.lease.ttl.total_seconds() / 3
        while not self._stop.is_set():
            if self.lease.acquire():
                if self.scheduler is None:
                    self._start_scheduler()
            elif self.scheduler is not None:
                log.warning("scheduler lease lost to another process: standing by")
                self.scheduler.shutdown(wait=False)
                self.scheduler = None
            self._stop.wait(interval)

    def _start_scheduler(self) -> None:
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine, tablename=JOBS_TABLE)},
            job_defaults=JOB_DEFAULTS,
            timezone=UTC,
        )
        scheduler.start(paused=True)
        install_jobs(scheduler, self.config_path, self.lists)
        scheduler.resume()
        self.scheduler = scheduler
        log.info("scheduler lease taken by %s: scheduler running", self.lease.holder)

    @property
    def active(self) -> bool:
        return self.scheduler is not None

    def stop(self) -> None:
        """Let a running send finish its batch in flight, then give the lease back so another
        process can take over at once."""
        from digest.deliver.send import SHUTTING_DOWN

        SHUTTING_DOWN.set()
        self._stop.set()
        self._thread.join(timeout=10)
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
            self.scheduler = None
        self.lease.release()
