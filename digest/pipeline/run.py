"""One scheduled run of a list: ingest its sources, build, approve (automatic lists) and send.

A run is keyed by its slot, the local wall-clock time it was due. Whatever fires it (the
scheduler, a second process, the autumn hour that repeats, a restart after a crash), the first
caller records the run and builds its edition; every later caller finds the record and only
finishes what is unfinished, so a slot never yields two editions or a second copy of a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from digest.config import ListSettings, Settings
from digest.deliver.backends import Backend
from digest.deliver.notices import Notices
from digest.deliver.send import SendReport, send_edition
from digest.domain import Actor, EditionStatus, Run
from digest.editions import service
from digest.editions.review import request_review
from digest.errors import Busy, Invalid, NotFound
from digest.ingest.catalog import sources_of
from digest.ingest.run import ingest
from digest.links import Links
from digest.store.editions import load_edition
from digest.store.runs import finish_run, load_run, set_run_edition, start_run

SCHEDULER = Actor.named("scheduler")


@dataclass
class RunResult:
    list_id: str
    slot: str
    edition_id: int | None
    outcome: str
    sent: SendReport | None = None  # what this call delivered, when it sent


def _claim(engine: Engine, settings: Settings, list_id: str, slot: str, now: datetime) -> Run:
    """The run's record and its edition, building the edition if this is the run's first caller
    (in the transaction that records the run: a crash leaves neither)."""
    with engine.begin() as conn:
        if start_run(conn, list_id, slot, now):
            built = service.build_in(conn, settings, list_id, actor=SCHEDULER, now=now)
            edition_id = built.edition.id if built.edition else None
            if edition_id is not None and settings.get_list(list_id).review is None:  # an automatic list
                service.transition_in(conn, edition_id, EditionStatus.APPROVED, actor=SCHEDULER)
            set_run_edition(conn, list_id, slot, edition_id)
            if edition_id is None:
                finish_run(conn, list_id, slot, built.reason, at=now)
    with engine.connect() as conn:
        run = load_run(conn, list_id, slot)
    assert run is not None  # recorded above, by this caller or another
    return run


def _sources(engine: Engine, settings: Settings, lst: ListSettings) -> list[str]:
    """config.yaml's sources for the list, and those added in the browser that feed it."""
    with engine.connect() as conn:
        return [s.name for s in sources_of(conn, settings, lst)]


def enqueue_slot(
    engine: Engine, settings: Settings, list_id: str, slot: str, now: datetime, read_sources: bool = True
) -> str:
    """execution: celery: the run on the workers, each source read by a task of its own, then the
    edition built and sent (the chord's callback, digest.finish_slot) once they all have. A run
    resumed after its start (`read_sources` off) goes straight to finish_slot."""
    from celery.canvas import chord  # not `from celery import`: its lazy names race between threads

    from digest.queue import broker_errors, celery_app, signature

    with engine.connect() as conn:
        done = load_run(conn, list_id, slot)
    if done is not None and done.finished_at is not None:
        return f"already ran: {done.outcome}"
    names = _sources(engine, settings, settings.get_list(list_id)) if read_sources else []
    finish = signature(settings, "finish_slot", list_id, slot, now.isoformat())
    with broker_errors():
        if names:
            chord([signature(settings, "ingest_source", name) for name in names], app=celery_app(settings.db_url))(finish)
        else:
            finish.apply_async()
    return f"queued for the workers: {len(names)} source(s) to read, then the edition"


def run_slot(
    engine: Engine,
    settings: Settings,
    list_id: str,
    slot: str,
    backend: Backend,
    links: Links,
    now: datetime | None = None,
    notices: Notices | None = None,
    ingest_first: bool = True,
) -> RunResult:
    """Run the list's slot, or finish it. `notices` mails a reviewed list's editors; `ingest_first`
    off when the list's sources were read just before (by the workers: enqueue_slot)."""
    now = now or datetime.now(UTC)
    lst = settings.get_list(list_id)
    with engine.connect() as conn:
        done = load_run(conn, list_id, slot)
    if done is not None and done.finished_at is not None:
        return RunResult(list_id, slot, done.edition_id, f"already ran: {done.outcome}")
    if ingest_first:
        ingest(engine, settings, _sources(engine, settings, lst), force=False)  # back-off holds
    run = _claim(engine, settings, list_id, slot, now)
    if run.finished_at is not None or run.edition_id is None:
        return RunResult(list_id, slot, None, run.outcome or "nothing to do")
    with engine.connect() as conn:
        edition = load_edition(conn, run.edition_id)
    if edition is None:
        raise NotFound(f"edition #{run.edition_id} of run {list_id} {slot} no longer exists")
    report = None
    if lst.review is not None:
        if edition.status == EditionStatus.DRAFT:
            if notices is None:
                raise Invalid(f"list {list_id!r} is reviewed: its run needs a way to mail the editors")
            with engine.begin() as conn:
                request_review(conn, lst, edition, links, notices)
        outcome = f"edition #{edition.id} is {edition.status}, waiting for an editor's approval"
    else:
        try:
            report = send_edition(engine, settings, run.edition_id, backend, links)
            outcome = f"edition #{edition.id} {report.status}: {report.counts}"
        except Busy as busy:
            outcome = str(busy)
    with engine.begin() as conn:
        finish_run(conn, list_id, slot, outcome)
    return RunResult(list_id, slot, edition.id, outcome, report)
