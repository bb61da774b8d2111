"""What the scheduler does between runs: resume what was interrupted, send what is due, and apply
review deadlines. Each step is idempotent, so dispatching twice changes nothing more."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import Engine

from digest.config import Settings
from digest.deliver.backends import Backend
from digest.deliver.control import resume_sends
from digest.deliver.notices import Notices
from digest.deliver.send import send_edition
from digest.domain import Actor, Edition, EditionStatus
from digest.editions import lifecycle, service
from digest.errors import DigestError
from digest.links import Links
from digest.pipeline.run import enqueue_slot, run_slot
from digest.store.editions import list_editions
from digest.store.runs import unfinished_runs

RUN_RESUME_WINDOW = timedelta(hours=6)
DEADLINE = Actor.named("review deadline")  # who approves or cancels a draft its reviewers left


def _due(settings: Settings, edition: Edition, now: datetime) -> str | None:
    """What to do with an open edition now: 'send', 'approve', 'cancel', or nothing. Sends under
    way are resumed separately (paused ones and those past the cut-off are left alone)."""
    if edition.status == EditionStatus.APPROVED:
        return "send"
    if edition.status == EditionStatus.SCHEDULED:
        return "send" if edition.scheduled_for is None or edition.scheduled_for <= now else None
    review = settings.get_list(edition.list_id).review
    if (
        edition.status == EditionStatus.DRAFT
        and review
        and edition.created_at is not None
        and edition.created_at + timedelta(hours=review.deadline_hours) <= now
    ):
        return "approve" if review.at_deadline == "send" else "cancel"
    return None


def dispatch(
    engine: Engine,
    settings: Settings,
    backend: Backend,
    links: Links,
    now: datetime,
    notices: Notices | None = None,
) -> Iterator[str]:
    list_ids = {lst.id for lst in settings.lists}
    with engine.connect() as conn:
        unfinished = unfinished_runs(conn, list_ids, since=now - RUN_RESUME_WINDOW)
        open_editions = [e for e in list_editions(conn, statuses=lifecycle.OPEN) if e.list_id in list_ids]
    for report in resume_sends(engine, settings, backend, links):
        yield f"edition #{report.edition_id} resumed: {report.status}: {report.counts}"
    for run in unfinished:
        try:
            if settings.execution == "celery":
                queued = enqueue_slot(engine, settings, run.list_id, run.slot, now, read_sources=False)
                yield f"resumed run {run.list_id} {run.slot}: {queued}"
                continue
            result = run_slot(engine, settings, run.list_id, run.slot, backend, links, now, notices)
            yield f"resumed run {run.list_id} {run.slot}: {result.outcome}"
        except DigestError as exc:  # one run's trouble must not keep the others waiting
            yield f"run {run.list_id} {run.slot}: {exc}"
    for edition in open_editions:
        assert edition.id is not None  # a stored edition
        action = _due(settings, edition, now)
        try:
            if action == "cancel":
                service.transition(engine, edition.id, EditionStatus.CANCELED, actor=DEADLINE)
                yield f"edition #{edition.id} canceled: not approved before the review deadline"
                continue
            if action == "approve":
                service.transition(engine, edition.id, EditionStatus.APPROVED, actor=DEADLINE)
            if action in ("send", "approve"):
                report = send_edition(engine, settings, edition.id, backend, links)
                yield f"edition #{edition.id} {report.status}: {report.counts}"
        except DigestError as exc:
            yield f"edition #{edition.id}: {exc}"
