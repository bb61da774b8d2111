"""Gather one source's items, off the database: fetch (conditionally), parse, fetch full text. Runs in a
worker thread; whatever goes wrong is returned as the source's error or an item's note, never raised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from digest.config import Source
from digest.ingest.feeds import FeedError, parse_feed
from digest.ingest.fetch import ACCEPT_FEED, ACCEPT_PAGE, MAX_BYTES, Fetched, Fetcher, FetchError
from digest.ingest.folder import read_folder
from digest.ingest.item import Item
from digest.ingest.normalize import canonical_url
from digest.ingest.webpage import PageError, add_full_text, page_item
from digest.store.articles import SourceState


@dataclass
class Job:
    source: Source
    state: SourceState
    known: dict[str, str | None]  # guid -> entry hash of the stored articles
    path: Path  # the source's path, resolved against the config's folder


@dataclass
class Gathered:
    job: Job
    items: list[Item] = field(default_factory=list)
    unchanged: int = 0  # entries exactly as stored: not parsed further, not written
    duplicates: int = 0  # the same item twice (same GUID or canonical URL): kept once
    seen: dict[str, str] = field(default_factory=dict)  # guid or canonical URL -> where first seen
    skipped: list[str] = field(default_factory=list)
    error: str | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


def gather(job: Job, fetcher: Fetcher) -> Gathered:
    out = Gathered(job)
    try:
        if job.source.kind == "folder":
            _folder(job, out)
        elif job.source.kind == "page":
            _page(job, fetcher, out)
        else:
            _feed(job, fetcher, out)
    except (FetchError, FeedError, PageError, OSError, ValueError) as exc:
        out.error = str(exc)
    except Exception as exc:  # bad input never stops a run: an unforeseen failure is this source's error
        out.error = f"unexpected {type(exc).__name__}: {exc}"
    if out.error:
        out.items = []
    return out


def _fetch(job: Job, fetcher: Fetcher, out: Gathered, accept: str = ACCEPT_FEED) -> Fetched | None:
    """The source's document, or None when the server says it has not changed since the last run."""
    state, url = job.state, job.source.url
    assert url is not None  # pages and feeds fetched over HTTP: config requires their url
    fetched = fetcher.get(url, etag=state.etag, last_modified=state.last_modified, accept=accept)
    out.etag, out.last_modified = fetched.etag, fetched.last_modified
    if fetched.not_modified:
        out.not_modified = True
        return None
    return fetched


def _keep(job: Job, out: Gathered, item: Item) -> bool:
    """Keep an item unless the source already gave it in this run or its entry is exactly as stored."""
    keys = [k for k in (item.article.guid, item.article_url) if k]
    first = next((out.seen[k] for k in keys if k in out.seen), None)
    if first:
        out.duplicates += 1
        out.skipped.append(f"{item.where}: duplicate of {first} (same GUID or canonical URL), kept once")
        return False
    out.seen.update((k, item.where) for k in keys)
    if item.entry_hash and job.known.get(item.article.guid or "") == item.entry_hash:
        out.unchanged += 1
        return False
    out.items.append(item)
    return True


def _feed(job: Job, fetcher: Fetcher, out: Gathered) -> None:
    source = job.source
    if source.url:
        fetched = _fetch(job, fetcher, out)
        if fetched is None:
            return
    else:
        fetched = _local(job.path)
    fetched_at = datetime.now(UTC)
    parsed = parse_feed(
        fetched.content,
        url=fetched.url,
        content_type=fetched.content_type,
        charset=fetched.charset,
        language=source.language,
    )
    for position, item, reason in parsed:
        if item is None:
            out.skipped.append(f"{fetched.url}{f' item {position}' if position else ''}: {reason}")
        elif _keep(job, out, item):
            if source.full_text and item.summary_only:
                _full_text(item, fetcher)
            item.date_or_fetch_time(fetched_at)  # after the full text: the page may carry the date


def _full_text(item: Item, fetcher: Fetcher) -> None:
    if not item.article.url:
        item.notes.append(f"{item.where}: only a summary, and no link to fetch the article from")
        return
    try:
        add_full_text(item, fetcher.get(item.article.url, accept=ACCEPT_PAGE))
    except (FetchError, PageError) as exc:
        item.notes.append(f"{item.where}: full text unavailable, the feed's summary was kept ({exc})")


def _page(job: Job, fetcher: Fetcher, out: Gathered) -> None:
    fetched = _fetch(job, fetcher, out, accept=ACCEPT_PAGE)
    if fetched is not None:
        item = page_item(fetched, job.source.language)
        item.date_or_fetch_time(datetime.now(UTC))
        _keep(job, out, item)


def _folder(job: Job, out: Gathered) -> None:
    if not job.path.is_dir():
        raise FileNotFoundError(f"{job.path}: no such folder")
    fetched_at = datetime.now(UTC)
    for path, article, reason in read_folder(job.path):
        if article is None:
            out.skipped.append(f"{path}: {reason}")
            continue
        article.guid = article.guid or str(path.relative_to(job.path))
        item = Item(article=article, where=str(path), canonical_url=canonical_url(article.url))
        item.date_or_fetch_time(fetched_at)
        _keep(job, out, item)


def _local(path: Path) -> Fetched:
    """A feed file on disk (the demo's samples/feed.xml), read under the same size cap as a download."""
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"{path}: larger than the {MAX_BYTES / 1_000_000:g} MB cap")
    return Fetched(url=str(path), status=200, content=path.read_bytes())

