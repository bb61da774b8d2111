"""Gather one source's articles, off the database: fetch (conditionally), parse, fetch full text. Runs in a
worker thread; whatever goes wrong is returned as the source's error or a note about an article, never
raised. Each message names where it comes from ("<url> item 3", a file's path): that bookkeeping is
gather's own, not the articles'."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import Source
from digest.domain import Article
from digest.ingest.feeds import FeedError, parse_feed
from digest.ingest.fetch import ACCEPT_FEED, ACCEPT_PAGE, MAX_BYTES, Fetched, Fetcher, FetchError
from digest.ingest.folder import read_folder
from digest.ingest.normalize import article_url
from digest.ingest.webpage import PageError, add_full_text, page_article
from digest.store.sources import SourceState

SUMMARY_WORDS = 100  # a feed item's body shorter than this is taken for a summary when full text is wanted
FUTURE_SLACK = timedelta(days=1)


@dataclass
class Job:
    source: Source
    state: SourceState
    known: dict[str, str | None]  # guid -> entry hash of the stored articles
    path: Path  # the source's path, resolved against the config's folder


@dataclass
class Gathered:
    job: Job
    articles: list[Article] = field(default_factory=list)
    unchanged: int = 0  # entries exactly as stored: not parsed further, not written
    duplicates: int = 0  # the same item twice (same GUID or canonical URL): kept once
    seen: dict[str, str] = field(default_factory=dict)  # guid or canonical URL -> where first seen
    skipped: list[str] = field(default_factory=list)  # "where: why" of items not kept, and of the source
    notes: list[str] = field(default_factory=list)  # "where: what" of problems that did not stop an article
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
        out.articles, out.notes = [], []
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


def _keep(job: Job, out: Gathered, article: Article, where: str) -> bool:
    """Keep an article unless the source already gave it in this run or its entry is exactly as stored."""
    keys = [k for k in (article.guid, article.canonical_url) if k]
    first = next((out.seen[k] for k in keys if k in out.seen), None)
    if first:
        out.duplicates += 1
        out.skipped.append(f"{where}: duplicate of {first} (same GUID or canonical URL), kept once")
        return False
    out.seen.update((k, where) for k in keys)
    if article.entry_hash and job.known.get(article.guid or "") == article.entry_hash:
        out.unchanged += 1
        return False
    out.articles.append(article)
    return True


def _date_or_fetch_time(article: Article, where: str, out: Gathered, fetched_at: datetime) -> None:
    """Keep a source date unless it is missing or implausibly in the future; else use the fetch time."""
    when = article.published_at
    if when is None or when > fetched_at + FUTURE_SLACK:
        if when is not None:
            out.notes.append(f"{where}: publication date {when:%Y-%m-%d %H:%M} is in the future")
        article.published_at = fetched_at.astimezone(UTC)
        article.published_guessed = True


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
    for position, article, reason in parsed:
        where = f"{fetched.url}{f' item {position}' if position else ''}"
        if article is None:
            out.skipped.append(f"{where}: {reason}")
        elif _keep(job, out, article, where):
            if source.full_text and len(article.text.split()) < SUMMARY_WORDS:
                _full_text(article, where, fetcher, out)
            _date_or_fetch_time(
                article, where, out, fetched_at
            )  # after the full text: the page may carry the date


def _full_text(article: Article, where: str, fetcher: Fetcher, out: Gathered) -> None:
    """The article from the page of a feed item that carries only a summary; the summary stays if not."""
    if not article.url:
        out.notes.append(f"{where}: only a summary, and no link to fetch the article from")
        return
    try:
        add_full_text(article, fetcher.get(article.url, accept=ACCEPT_PAGE))
    except (FetchError, PageError) as exc:
        out.notes.append(f"{where}: full text unavailable, the feed's summary was kept ({exc})")


def _page(job: Job, fetcher: Fetcher, out: Gathered) -> None:
    fetched = _fetch(job, fetcher, out, accept=ACCEPT_PAGE)
    if fetched is not None:
        article = page_article(fetched, job.source.language)
        if _keep(job, out, article, fetched.url):
            _date_or_fetch_time(article, fetched.url, out, datetime.now(UTC))


def _folder(job: Job, out: Gathered) -> None:
    if not job.path.is_dir():
        raise FileNotFoundError(f"{job.path}: no such folder")
    fetched_at = datetime.now(UTC)
    for path, article, reason in read_folder(job.path):
        if article is None:
            out.skipped.append(f"{path}: {reason}")
            continue
        article.guid = article.guid or str(path.relative_to(job.path))
        article.canonical_url = article_url(article.url)
        if _keep(job, out, article, str(path)):
            _date_or_fetch_time(article, str(path), out, fetched_at)


def _local(path: Path) -> Fetched:
    """A feed file on disk (the demo's samples/feed.xml), read under the same size cap as a download."""
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"{path}: larger than the {MAX_BYTES / 1_000_000:g} MB cap")
    return Fetched(url=str(path), status=200, content=path.read_bytes())
