"""A list's calendar: its cron schedule in its time zone, as APScheduler reads it. The scheduler
(digest.pipeline.schedule) fires it; `digest status` and the app say when it is next due."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from digest.config import ListSettings


def trigger_of(lst: ListSettings) -> CronTrigger:
    return CronTrigger.from_crontab(lst.schedule, timezone=ZoneInfo(lst.timezone))


def next_run(lst: ListSettings, now: datetime) -> datetime | None:
    when: datetime | None = trigger_of(lst).get_next_fire_time(None, now)
    return when
