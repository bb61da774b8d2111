"""Sending at the list's hour in each subscriber's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_hour(now: datetime, list_zone: str, subscriber_zone: str | None) -> datetime | None:
    """When the subscriber should get an edition whose send starts `now`: the list's local date and
    time of day, read in the subscriber's zone. None (at once) when that moment has passed already,
    or the subscriber has no known time zone."""
    if not subscriber_zone:
        return None
    try:
        zone = ZoneInfo(subscriber_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    start = now.astimezone(ZoneInfo(list_zone)).replace(second=0, microsecond=0)
    there = datetime.combine(start.date(), start.time(), tzinfo=zone)
    return there.astimezone(UTC) if there > now else None
