"""Today, the newsroom's first page: for each list a user may read, when it next runs (its cron in
its time zone, as `digest status` says), the edition it has open with what looks wrong in it, the
figures of its last send, and its sources that are failing. Read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from digest.config import ListSettings, Settings
from digest.deliver.rates import EditionRates, edition_rates
from digest.domain import UNFINISHED, DeliveryStatus, Edition, EditionStatus, Permission, User
from digest.editions import lifecycle
from digest.editions.calendar import next_run
from digest.ingest.catalog import sources_of
from digest.store.deliveries import delivery_counts
from digest.store.editions import newest_edition
from digest.store.leases import Holder, holder_of
from digest.store.sources import SourceHealth, source_health

SUBJECT_MAX = 70  # characters an inbox shows of a subject, about; longer ones are cut off there


@dataclass(frozen=True)
class DraftWarning:
    """Something in an open edition an editor should look at: `code` names it (the page words it),
    `item` is the 1-based position of the item it concerns, if one."""

    code: str  # "empty", "no_lede", "long_subject"
    item: int | None = None


@dataclass(frozen=True)
class OpenEdition:
    edition: Edition
    warnings: list[DraftWarning]


@dataclass(frozen=True)
class LastSend:
    edition: Edition
    sent: int
    failed: int
    remaining: int  # rows not yet settled (pending, in flight, deferred)
    at: datetime | None  # when it finished sending; None while it is still going
    rates: EditionRates  # its bounce and complaint rates: `rates.over` flags it (digest.deliver.rates)


@dataclass(frozen=True)
class ListDay:
    lst: ListSettings
    next_run: datetime | None  # in the list's time zone
    open: OpenEdition | None  # its newest edition not yet sending (draft, approved, scheduled)
    last_send: LastSend | None  # its newest edition sending or sent
    failing: list[SourceHealth]  # its sources whose last read failed


@dataclass(frozen=True)
class Today:
    lists: list[ListDay]
    scheduler: Holder | None  # the process running the scheduler, if one does


def warnings_of(edition: Edition) -> list[DraftWarning]:
    found = [DraftWarning("empty")] if not edition.items else []
    found += [DraftWarning("no_lede", n) for n, item in enumerate(edition.items, 1) if not item.lede.strip()]
    if len(edition.subject) > SUBJECT_MAX:
        found.append(DraftWarning("long_subject"))
    return found


def today(engine: Engine, settings: Settings, reader: User, now: datetime | None = None) -> Today:
    """The lists `reader` may read, in config.yaml's order, each as the Today page shows it."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        failing = {s.name: s for s in source_health(conn) if s.last_error}
        days = []
        for lst in settings.lists:
            if not reader.may(Permission.READ, lst.id):
                continue
            draft = newest_edition(conn, lst.id, lifecycle.EDITABLE)
            sent = newest_edition(conn, lst.id, lifecycle.PUBLIC)
            last = None
            if sent is not None and sent.id is not None:
                counts = delivery_counts(conn, sent.id)
                remaining = sum(counts.get(status, 0) for status in UNFINISHED)
                at = sent.sent_at if sent.status == EditionStatus.SENT else None
                last = LastSend(
                    sent,
                    counts.get(DeliveryStatus.SENT, 0),
                    counts.get(DeliveryStatus.FAILED, 0),
                    remaining,
                    at,
                    edition_rates(conn, sent.id),
                )
            days.append(
                ListDay(
                    lst,
                    next_run(lst, now),
                    OpenEdition(draft, warnings_of(draft)) if draft is not None else None,
                    last,
                    [failing[s.name] for s in sources_of(conn, settings, lst) if s.name in failing],
                )
            )
        holder = holder_of(conn)
    return Today(days, holder)
