"""What the scheduler does between runs: resume what was interrupted, send what is due, and apply
review deadlines. Each step is idempotent, so dispatching twice changes nothing more."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, select

from digest.config import Settings
from digest.deliver.backends import Backend
from digest.deliver.control import resume_sends
from digest.deliver.notices import SendNotice
from digest.deliver.send import send_edition
from digest.editions import service
from digest.errors import DigestError
from digest.links import Links
from digest.pipeline.run import run_slot
from digest.store.tables import editions, runs

RUN_RESUME_WINDOW = timedelta(hours=6)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def _due(settings: Settings, row: Row[*tuple[Any, ...]], now: datetime) -> str | None:
    """What to do with an open edition now: 'send', 'approve', 'cancel', or nothing. Sends under
    way are resumed separately (paused ones and those past the cut-off are left alone)."""
    if row.status == "approved":
        return "send"
    if row.status == "scheduled":
        return "send" if row.scheduled_for is None or _aware(row.scheduled_for) <= now else None
    review = settings.get_list(row.list_id).review
    if (
        row.status == "draft"
        and review
        and _aware(row.created_at) + timedelta(hours=review.deadline_hours) <= now
    ):
        return "approve" if review.at_deadline == "send" else "cancel"
    return None


def dispatch(
    engine: Engine,
    settings: Settings,
    backend: Backend,
    links: Links,
    now: datetime,
    notify: SendNotice | None = None,
) -> Iterator[str]:
    list_ids = [lst.id for lst in settings.lists]
    with engine.connect() as conn:
        unfinished = conn.execute(
            select(runs.c.list_id, runs.c.slot).where(
                runs.c.finished_at.is_(None),
                runs.c.started_at >= now - RUN_RESUME_WINDOW,
                runs.c.list_id.in_(list_ids),
            )
        ).all()
        open_editions = conn.execute(
            select(editions)
            .where(editions.c.status.in_(("draft", "approved", "scheduled")))
            .where(editions.c.list_id.in_(list_ids))
            .order_by(editions.c.id)
        ).all()
    for report in resume_sends(engine, settings, backend, links):
        yield f"edition #{report.edition_id} resumed: {report.status}: {report.counts}"
    for run in unfinished:
        try:
            result = run_slot(engine, settings, run.list_id, run.slot, backend, links, now, notify)
            yield f"resumed run {run.list_id} {run.slot}: {result.outcome}"
        except DigestError as exc:  # one run's trouble must not keep the others waiting
            yield f"run {run.list_id} {run.slot}: {exc}"
    for row in open_editions:
        action = _due(settings, row, now)
        try:
            if action == "cancel":
                service.transition(engine, row.id, "canceled", actor="review deadline")
                yield f"edition #{row.id} canceled: not approved before the review deadline"
                continue
            if action == "approve":
                service.transition(engine, row.id, "approved", actor="review deadline")
            if action in ("send", "approve"):
                report = send_edition(engine, settings, row.id, backend, links)
                yield f"edition #{row.id} {report.status}: {report.counts}"
        except DigestError as exc:
            yield f"edition #{row.id}: {exc}"
