"""One article by its URL, fetched and stored then and there: what an editor adds to an edition by
hand. An article already stored under that URL is returned as it is; a new one is filed under a
source named after the page's host (kind `page`), so it is found, listed and linked like any other."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from digest.domain import Article
from digest.errors import Invalid, Unavailable
from digest.ingest.dedupe import sketch
from digest.ingest.fetch import ACCEPT_PAGE, Fetcher, FetchError, Limits
from digest.ingest.webpage import PageError, page_article
from digest.store import articles as store
from digest.store import sources


def ingest_url(engine: Engine, url: str, limits: Limits = Limits()) -> Article:
    """The stored article at `url`, fetched and stored first if it is not known yet. Invalid for a URL
    that is not http(s) or a page without an article, Unavailable when the page cannot be fetched."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(f"{url!r} is not a web address (http:// or https://)")
    with engine.connect() as conn:
        known = store.article_by_url(conn, url)
    if known is not None:
        return known
    try:
        with Fetcher(limits) as fetcher:
            fetched = fetcher.get(url, accept=ACCEPT_PAGE)
        article = page_article(fetched, None)
    except FetchError as exc:
        raise Unavailable(f"{url} could not be fetched: {exc}") from None
    except PageError as exc:
        raise Invalid(str(exc)) from None
    article.source = parts.hostname
    if article.published_at is None:  # the page gives no date: it is news as of now
        article.published_at, article.published_guessed = datetime.now(UTC), True
    try:
        with engine.begin() as conn:
            stored = _store(conn, article, parts.hostname)
    except IntegrityError:  # someone added the same page just now
        with engine.begin() as conn:
            stored = _store(conn, article, parts.hostname)
    return stored


def _store(conn: Connection, article: Article, host: str) -> Article:
    source_id = sources.ensure_source(conn, host, "page", f"https://{host}/")
    saved = store.save_articles(conn, source_id, [article], [sketch(article.title, article.text)])[0]
    found = store.articles_by_ids(conn, [saved.id]).get(saved.id)
    assert found is not None  # just stored
    return found
