"""A real HTTP server on 127.0.0.1 for ingest tests and the ingest bench: each path answers as it is
told, including badly (wrong status, endless redirects, a stall, a huge body), and honours conditional
GET with ETag and Last-Modified."""

from __future__ import annotations

import gzip
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from digest.config import Settings, Source
from digest.ingest.fetch import Limits
from digest.store import tables
from digest.store.db import open_store


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    redirect: str | None = None  # Location; "{n}" is replaced by a counter for endless redirects
    stall: float = 0.0  # seconds to wait after the headers before sending the body
    gzip: bool = False
    huge: int = 0  # stream this many bytes, without a Content-Length
    trickle: float = 0.0  # seconds between single bytes of the body: never stalls, never ends in time
    flaky: int = 0  # the first requests answered 503 with Retry-After: 0
    retry_after: str = "0"
    delay: float = 0.0  # seconds before answering at all (no status line until then)
    head: bool = False  # answer HEAD as GET would, without the body; otherwise HEAD gets 405


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default backlog of 5 drops concurrent connects: 1 s SYN retries


class IngestServer:
    """`with IngestServer() as server: server.add("/feed.xml", body=...); server.url("/feed.xml")`"""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        """`tls`: a server context (tests.servers.tls.self_signed) to serve https."""
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()  # path -> requests
        self.not_modified: Counter[str] = Counter()  # path -> 304 answers
        self.user_agents: set[str] = set()
        self.gzipped: Counter[str] = Counter()  # path -> answers sent gzip-compressed
        self.heads: Counter[str] = Counter()  # path -> HEAD requests
        self.httpd = _Server(("127.0.0.1", 0), _handler(self))
        self.scheme = "http"
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> IngestServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **route) -> str:
        self.routes[path] = Route(body=body.encode() if isinstance(body, str) else body, **route)
        return self.url(path)


def _handler(server: IngestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms delayed-ACK stall

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            server.hits[path] += 1
            server.user_agents.add(self.headers.get("User-Agent", ""))
            route = server.routes.get(path)
            if route is None:
                return self._send(404, b"not found", "text/plain")
            time.sleep(route.delay)
            if server.hits[path] <= route.flaky:
                return self._send(503, b"busy", "text/plain", {"Retry-After": route.retry_after})
            if route.redirect:
                self.send_response(route.status if route.status in (301, 302, 307, 308) else 302)
                self.send_header("Location", route.redirect.replace("{n}", str(server.hits[path])))
                self.send_header("Content-Length", "0")
                return self.end_headers()
            if route.huge:
                return self._huge(route)
            if route.status == 200 and self._unchanged(route):
                server.not_modified[path] += 1
                self.send_response(304)
                self._validators(route)
                self.send_header("Content-Length", "0")
                return self.end_headers()
            body = route.body
            headers = {}
            if route.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
                body, headers = gzip.compress(body), {"Content-Encoding": "gzip"}
                server.gzipped[path] += 1
            self._send(route.status, body, route.content_type, headers, route)

        def do_HEAD(self) -> None:  # noqa: N802 (a link checker's first question)
            path = self.path.split("?")[0]
            server.heads[path] += 1
            route = server.routes.get(path)
            if route is not None:
                time.sleep(route.delay)
            status = 404 if route is None else route.status if route.head else 405
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _unchanged(self, route: Route) -> bool:
            etag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if route.etag and etag:
                return etag == route.etag
            return bool(route.last_modified and since == route.last_modified)

        def _validators(self, route: Route) -> None:
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)

        def _send(self, status: int, body: bytes, content_type: str, headers=None, route: Route | None = None):
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if route:
                self._validators(route)
            self.end_headers()
            if route and route.stall:
                self.wfile.flush()
                time.sleep(route.stall)
            try:
                if route and route.trickle:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(route.trickle)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _huge(self, route: Route) -> None:
            self.send_response(200)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            chunk = b"<!-- " + b"x" * 65_000 + b" -->\n"
            try:
                for _ in range(route.huge // len(chunk) + 1):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


# Documents to serve ---------------------------------------------------------------------------------

_VOCABULARY = (
    "council harbour river budget school station market festival minister union library museum railway "
    "hospital village bridge farmers teachers court election airport energy water forest coast strike "
    "museum tram workers police mayor tenants reporters cyclists ferry clinic factory vineyard"
).split()


def serve_corpus(feeds: int, items: int, ready) -> None:
    """The benches' loopback server, in a process of its own: `feeds` feeds with ETags of `items`
    summary-only items each, and one article page per item. Its base URL goes out on the `ready`
    pipe; it serves until a message comes back."""
    with IngestServer() as server:
        for f in range(feeds):
            entries = []
            for i in range(items):
                seed = f * 1000 + i
                path = f"/news/{f}/{i}"
                body = story_text(seed, paragraphs=8, words=40)
                server.add(
                    path,
                    article_page(
                        f"Story {seed}", body, canonical=server.url(path), image=f"/img/{seed}.jpg", image_alt="A photo",
                        caption="A caption.", published="2026-11-27T09:15:00+00:00", author="Desk",
                    ),
                    content_type="text/html; charset=utf-8",
                    gzip=True,
                )  # fmt: skip
                entries.append(
                    {
                        "title": f"Story {seed}",
                        "link": server.url(path) + "?utm_source=rss",
                        "guid": f"s-{seed}",
                        "date": "Fri, 27 Nov 2026 09:15:00 +0000",
                        "summary": body[0][:200],
                    }  # fmt: skip
                )
            server.add(f"/feed/{f}.xml", rss(entries, title=f"Feed {f}"), etag=f'"feed-{f}-v1"', gzip=True)
        ready.send(server.base)
        ready.recv()  # until the bench is done


def story_text(seed: int, paragraphs: int = 4, words: int = 45) -> list[str]:
    """Deterministic prose-like paragraphs; different seeds give different stories."""
    import random

    rnd = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        sentence = " ".join(rnd.choice(_VOCABULARY) for _ in range(words))
        out.append(sentence[0].upper() + sentence[1:] + ".")
    return out


def rss(items: list[dict], *, title: str = "Test feed", language: str = "en", encoding: str = "utf-8") -> str:
    """RSS 2.0. Item keys: title, link, guid, date (RFC 822), summary, content (HTML), image (and
    image_size, a (width, height) pair of attribute values), tags."""
    from xml.sax.saxutils import escape

    def item(i: dict) -> str:
        parts = [f"<title>{escape(i['title'])}</title>"] if "title" in i else []
        if i.get("link"):
            parts.append(f"<link>{escape(i['link'])}</link>")
        if i.get("guid"):
            parts.append(f'<guid isPermaLink="false">{escape(i["guid"])}</guid>')
        if i.get("date"):
            parts.append(f"<pubDate>{i['date']}</pubDate>")
        if i.get("summary"):
            parts.append(f"<description>{escape(i['summary'])}</description>")
        if i.get("content"):
            parts.append(f"<content:encoded><![CDATA[{i['content']}]]></content:encoded>")
        if i.get("image"):
            size = 'width="{}" height="{}" '.format(*i["image_size"]) if i.get("image_size") else ""
            parts.append(f'<media:content url="{escape(i["image"])}" {size}medium="image"/>')
        parts += [f"<category>{escape(t)}</category>" for t in i.get("tags", [])]
        return "<item>" + "".join(parts) + "</item>"

    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>{title}</title><link>https://example.org/</link><language>{language}</language>"
        + "".join(item(i) for i in items)
        + "</channel></rss>"
    )


def atom(items: list[dict], *, title: str = "Atom feed") -> str:
    from xml.sax.saxutils import escape

    entries = "".join(
        f"<entry><title>{escape(i['title'])}</title><link href=\"{escape(i['link'])}\"/><id>{escape(i['guid'])}</id>"
        f"<updated>{i['date']}</updated><author><name>{escape(i.get('author', 'Desk'))}</name></author>"
        f"<content type=\"html\">{escape(i['content'])}</content></entry>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:test:atom</id><updated>2026-11-27T10:00:00Z</updated>{entries}</feed>"
    )


def json_feed(items: list[dict], *, title: str = "JSON feed") -> str:
    import json

    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": "https://json.example.org/",
            "items": [
                {
                    "id": i["guid"],
                    "url": i.get("link"),
                    "title": i["title"],
                    "content_html": i["content"],
                    "date_published": i.get("date"),
                    "image": i.get("image"),
                    "tags": i.get("tags", []),
                    "authors": [{"name": i.get("author", "Desk")}],
                }
                for i in items
            ],
        }
    )


def paragraphs_html(paragraphs: list[str]) -> str:
    from xml.sax.saxutils import escape

    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    canonical: str | None = None,
    image: str | None = None,
    image_alt: str = "",
    og_size: tuple[str, str] | None = None,
    img_size: tuple[str, str] | None = None,
    caption: str | None = None,
    published: str | None = None,
    author: str | None = None,
) -> str:
    """A newspaper-like page: navigation, the article with a figure, related links and a footer.
    og_size: og:image:width and og:image:height; img_size: the figure's <img> width and height."""
    from xml.sax.saxutils import escape

    head = [f"<title>{escape(title)} | Example News</title>", '<meta charset="utf-8">']
    if canonical:
        head.append(f'<link rel="canonical" href="{escape(canonical)}">')
    if image:
        head.append(f'<meta property="og:image" content="{escape(image)}">')
    if og_size:
        head.append('<meta property="og:image:width" content="{}"><meta property="og:image:height" content="{}">'.format(*og_size))
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if author:
        head.append(f'<meta name="author" content="{escape(author)}">')
    figure = ""
    if image:
        size = ' width="{}" height="{}"'.format(*img_size) if img_size else ""
        figure = f'<figure><img src="{escape(image)}" alt="{escape(image_alt)}"{size}>'
        figure += f"<figcaption>{escape(caption)}</figcaption></figure>" if caption else "</figure>"
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(12))
    related = "".join(f'<li><a href="/related/{i}">Related story number {i}</a></li>' for i in range(8))
    return (
        f'<!doctype html><html lang="en"><head>{"".join(head)}</head><body>'
        f"<header><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{escape(title)}</h1>{figure}{paragraphs_html(paragraphs)}</article></main>"
        f"<aside><h2>Related</h2><ul>{related}</ul></aside>"
        "<footer><p>© 2026 Example News. All rights reserved.</p></footer></body></html>"
    )


# Fixtures and helpers for the ingest tests (test modules load them with pytest_plugins) -------------

FAST = Limits(connect=1.0, read=0.5, total=1.5, max_bytes=1_000_000, max_redirects=3, retry_delay=0.01)
DATE = "Fri, 27 Nov 2026 09:15:00 +0000"


@pytest.fixture
def server():
    with IngestServer() as srv:
        yield srv


@pytest.fixture
def engine(db_url):
    engine = open_store(db_url)
    yield engine
    engine.dispose()


def settings_of(tmp_path, *sources: Source) -> Settings:
    return Settings(public_url="https://digest.example.org", sources=list(sources), base_dir=tmp_path)


def good_items(prefix: str, n: int = 3, seed: int = 0) -> list[dict]:
    return [
        {
            "title": f"{prefix} story {i}",
            "link": f"https://{prefix}.example.org/{i}",
            "guid": f"{prefix}-{i}",
            "date": DATE,
            "content": paragraphs_html(story_text(seed + i)),
        }
        for i in range(n)
    ]


def stored(engine, source: str) -> list:
    with engine.connect() as conn:
        return conn.execute(
            select(tables.articles)
            .join(tables.sources, tables.sources.c.id == tables.articles.c.source_id)
            .where(tables.sources.c.name == source)
            .order_by(tables.articles.c.id)
        ).all()


def source_row(engine, name: str):
    with engine.connect() as conn:
        return conn.execute(select(tables.sources).where(tables.sources.c.name == name)).one()


@contextmanager
def corpus_server(feeds: int, items: int) -> Iterator[str]:
    """serve_corpus in a process of its own (forked), for the benches: its base URL while it runs."""
    import multiprocessing

    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve_corpus, args=(feeds, items, theirs))
    server.start()
    try:
        yield ours.recv()
    finally:
        ours.send("done")
        server.join(5)
