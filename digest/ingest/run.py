"""`digest ingest`: read every source in force (config.yaml's and those added in the browser:
digest.ingest.catalog), store new and changed articles, report the rest; `read_now`, one source on an
admin's request, audited.

Sources are gathered concurrently by a bounded pool of threads (fetch, parse, full text); every database
write happens on the calling thread, one transaction per source, so SQLite sees a single writer. A
source that keeps failing is left alone for a while (exponential back-off with jitter)."""

from __future__ import annotations

import random
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from digest.accounts import audit
from digest.config import Settings, Source
from digest.domain import Actor, Article
from digest.errors import NotFound
from digest.ingest import catalog
from digest.ingest.dedupe import StoryIndex, sketch
from digest.ingest.fetch import Fetcher, Limits
from digest.ingest.gather import Gathered, Job, gather
from digest.ingest.normalize import language_code
from digest.store import articles as store
from digest.store import sources
from digest.store.db import refresh_statistics

WORKERS = 8
BACKOFF_AFTER = 2  # failures in a row before a source is left alone for a while
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=24)
STORY_WINDOW = timedelta(days=14)  # syndicated copies are looked for among articles this recent
STORY_LIMIT = 20_000
STORY_REBUILD = timedelta(hours=1)  # a kept index is built afresh this often: what left the window goes
STORY_SLACK = 1_000  # ids under the newest seen, looked at again: transactions commit out of order

# the story index each process keeps per database (engine): built once, then brought up to date with the
# articles stored since (by this process or any other), so a worker's task for one source loads a few rows
_indexes: weakref.WeakKeyDictionary[Engine, tuple[StoryIndex, datetime]] = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # the same item twice in one source (same GUID or canonical URL): stored once
    linked: int = 0  # new articles found to be another source's story (syndicated copies)
    not_modified: list[str] = field(default_factory=list)  # sources that answered 304
    deferred: dict[str, datetime] = field(default_factory=dict)  # sources in back-off -> next attempt
    skipped: list[str] = field(default_factory=list)  # "where: why" for each bad item or problem
    failed: dict[str, str] = field(default_factory=dict)  # source name -> reason

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_json(self) -> dict[str, object]:
        """The report as a worker's task hands it back (execution: celery)."""
        data = asdict(self)
        data["deferred"] = {name: at.isoformat() for name, at in self.deferred.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IngestReport:
        deferred = {name: datetime.fromisoformat(at) for name, at in data.get("deferred", {}).items()}
        return cls(**{**data, "deferred": deferred})

    def merge(self, other: IngestReport) -> None:
        for name in ("new", "updated", "unchanged", "duplicates", "linked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.not_modified += other.not_modified
        self.deferred |= other.deferred
        self.skipped += other.skipped
        self.failed |= other.failed


def retry_time(failures: int, at: datetime) -> datetime | None:
    """When to try a source again after its `failures`-th failure in a row; None means next run."""
    if failures < BACKOFF_AFTER:
        return None
    delay = min(BACKOFF_BASE * 2.0 ** (failures - BACKOFF_AFTER), BACKOFF_MAX)
    return at + delay * random.uniform(0.8, 1.2)


def ingest(
    engine: Engine,
    settings: Settings,
    names: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    force: bool | None = None,
    workers: int = WORKERS,
    limits: Limits = Limits(),
) -> IngestReport:
    """Ingest the named sources (all in force when None). A source in back-off is skipped unless `force`,
    which defaults to whether sources were named (someone asked for them by name).
    `progress` is called with each source's name as it is done. The sources added in the browser
    are fetched from public addresses only, unless settings.fetch_private_addresses."""
    force = bool(names) if force is None else force
    report = IngestReport()
    now = datetime.now(UTC)
    jobs: list[Job] = []
    with engine.begin() as conn:
        every = catalog.in_force(conn, settings)
        declared = {s.name for s in settings.sources}
        for source in (s for s in every if not names or s.name in names):
            source_id = sources.ensure_source(conn, source.name, source.kind, source.url or source.path or "")
            state = sources.source_state(conn, source_id)
            if not force and state.next_attempt_at and state.next_attempt_at > now:
                report.deferred[source.name] = state.next_attempt_at
                continue
            jobs.append(
                Job(source, state, store.known_entries(conn, source_id), settings.path(source.path or "."))
            )
    stories: StoryIndex | None = None  # loaded when the first items arrive: a run of 304s never needs it
    guarded = limits if settings.fetch_private_addresses else replace(limits, public_only=True)
    with (
        Fetcher(limits) as fetcher,
        Fetcher(guarded) as public,
        ThreadPoolExecutor(max_workers=max(1, workers)) as pool,
    ):
        futures = [
            pool.submit(gather, job, fetcher if job.source.name in declared else public) for job in jobs
        ]
        for future in as_completed(futures):
            gathered = future.result()  # gather() turns every expected failure into gathered.error
            try:
                try:
                    with engine.begin() as conn:
                        if stories is None and gathered.articles:
                            stories = _story_index(engine, conn, now)
                        part, sketched = _store(conn, gathered, stories)
                except IntegrityError:  # another process stored the same items just now: look again
                    with engine.begin() as conn:
                        part, sketched = _store(conn, gathered, stories)
            except SQLAlchemyError as exc:  # one source's bad data must not stop the run
                gathered.error = f"its articles could not be stored ({_db_reason(exc)})"
                with engine.begin() as conn:
                    part, sketched = _store(conn, gathered, stories)
            report.merge(part)
            if stories is not None:
                for article_id, story_id, signature in sketched:
                    stories.add(article_id, story_id, gathered.job.state.id, signature)
            if progress:
                progress(gathered.job.source.name)
    refresh_statistics(engine)
    return report


def ingest_on_workers(
    engine: Engine,
    settings: Settings,
    names: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    force: bool | None = None,
) -> IngestReport:
    """execution: celery: `ingest` with each source read by a worker's task of its own (ingest_source);
    waits for them all and merges their reports. `progress` is called as each source is done."""
    from digest.queue import run_all

    force = bool(names) if force is None else force
    with engine.connect() as conn:
        chosen = [s.name for s in catalog.in_force(conn, settings) if not names or s.name in names]
    report = IngestReport()

    def read(args: tuple[Any, ...], part: dict[str, Any]) -> None:
        report.merge(IngestReport.from_json(part))
        if progress:
            progress(str(args[0]))

    run_all(settings, "ingest_source", [(name, force) for name in chosen], read)
    return report


def read_now(
    engine: Engine, settings: Settings, name: str, actor: Actor, limits: Limits = Limits()
) -> IngestReport:
    """Read one source in force now, back-off or not (the fetch's own timeouts bound it), audited with
    what came of it. NotFound for a name not in force (unknown, or added and disabled)."""
    with engine.connect() as conn:
        if name not in {s.name for s in catalog.in_force(conn, settings)}:
            raise NotFound(f"no source named {name!r} is read (unknown, or disabled)")
    report = ingest(engine, settings, [name], force=True, workers=1, limits=limits)
    outcome = {"new": report.new, "updated": report.updated, "unchanged": report.unchanged,
               "not_modified": bool(report.not_modified), "error": report.failed.get(name)}  # fmt: skip
    with engine.begin() as conn:
        audit.record(
            conn, actor, "source.read", "source", sources.source_id_of(conn, name), {"name": name, **outcome}
        )
    return report


def _db_reason(exc: SQLAlchemyError) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]


def _story_index(engine: Engine, conn: Connection, now: datetime) -> StoryIndex:
    """This process's index of the recent stories of `engine`'s database, up to date: built afresh when
    missing, older than STORY_REBUILD or grown past STORY_LIMIT, else given the articles added since."""
    with _indexes_lock:
        index, built = _indexes.get(engine, (None, now))
        if index is None or now - built > STORY_REBUILD or len(index) > STORY_LIMIT * 3 // 2:
            index, built, after = StoryIndex(), now, 0
        else:
            after = max(0, index.newest - STORY_SLACK)
        for known in store.recent_sketches(conn, now - STORY_WINDOW, STORY_LIMIT, after_id=after):
            if known.article_id not in index:
                index.add(known.article_id, known.story_id, known.source_id, known.signature)
        _indexes[engine] = index, built
        return index


def _store(
    conn: Connection, gathered: Gathered, stories: StoryIndex | None
) -> tuple[IngestReport, list[tuple[int, int, bytes]]]:
    """Write one source's outcome. Returns its part of the report and the (id, story, sketch) of the
    articles it stored, for the story index once the transaction is committed."""
    job, source, part = gathered.job, gathered.job.source, IngestReport()
    part.skipped += gathered.skipped
    if gathered.error:
        part.failed[source.name] = gathered.error
        retry_at = retry_time(job.state.failures + 1, datetime.now(UTC))
        sources.record_source_run(conn, job.state.id, error=gathered.error, items=0, retry_at=retry_at)
        return part, []
    part.unchanged, part.duplicates = gathered.unchanged, gathered.duplicates
    if gathered.not_modified:
        part.not_modified.append(source.name)
    part.skipped += gathered.notes
    batch = [_finish(source, article) for article in gathered.articles]
    sketches = [sketch(article.title, article.text) for article in batch]
    source_id = job.state.id

    def find_story(signature: bytes) -> int | None:
        return stories.story_of(signature, source_id) if stories else None

    sketched = []
    saved_batch = store.save_articles(conn, source_id, batch, sketches, find_story)
    for signature, saved in zip(sketches, saved_batch, strict=True):
        part.count(saved.outcome)
        part.linked += saved.linked
        if signature:
            sketched.append((saved.id, saved.story_id, signature))
    sources.record_source_run(
        conn,
        source_id,
        error=None,
        items=-1 if gathered.not_modified else len(gathered.articles) + gathered.unchanged,
        etag=gathered.etag,
        last_modified=gathered.last_modified,
    )
    return part, sketched


def _finish(source: Source, article: Article) -> Article:
    """What the source adds to each of its articles: its name, its tags, its language as a fallback."""
    article.source = source.name
    article.language = language_code(article.language) or source.language
    article.tags = sorted({*article.tags, *source.tags})
    return article
