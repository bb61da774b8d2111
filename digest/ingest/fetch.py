"""HTTP for ingest: one httpx client with timeouts, a body size cap, a redirect limit, compression,
a clear User-Agent and conditional GET. Every failure becomes a FetchError that says what went wrong
and where, so a broken source is recorded and the run goes on."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from digest import __version__

USER_AGENT = f"digest/{__version__} (self-hosted newsletter digest service)"
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
ACCEPT_FEED = "application/feed+json, application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


class FetchError(Exception):
    """A fetch that gave no usable body: the message names the URL and the reason."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when the validators matched
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class Limits:
    connect: float = 5.0
    read: float = 10.0
    total: float = 30.0  # a server that trickles bytes forever is cut off here
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS


class Fetcher:
    """A shared, thread-safe client. Use as a context manager, or call close()."""

    def __init__(self, limits: Limits = Limits(), transport: httpx.BaseTransport | None = None) -> None:
        self.limits = limits
        self.client = httpx.Client(
            timeout=httpx.Timeout(limits.read, connect=limits.connect),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            headers={"User-Agent": USER_AGENT},
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, accept: str = ACCEPT_FEED
    ) -> Fetched:
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(str(response.url), 304, etag=etag, last_modified=last_modified)
                if response.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.limits.max_bytes:
                    raise FetchError(f"{url}: body of {int(declared):,} bytes exceeds the {self._cap} cap")
                body = bytearray()
                for chunk in response.iter_bytes():  # decoded: the cap also stops compression bombs
                    body += chunk
                    if len(body) > self.limits.max_bytes:
                        raise FetchError(f"{url}: body exceeds the {self._cap} cap")
                    if time.monotonic() - started > self.limits.total:
                        raise FetchError(f"{url}: took longer than {self.limits.total:g} s in all")
                return Fetched(
                    url=str(response.url),
                    status=response.status_code,
                    content=bytes(body),
                    content_type=response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                    charset=response.charset_encoding,
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
        except httpx.TooManyRedirects:
            raise FetchError(f"{url}: more than {self.limits.max_redirects} redirects") from None
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out ({_timeout_kind(exc)})") from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"{url}: not a valid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__} ({exc or 'no detail'})") from None

    @property
    def _cap(self) -> str:
        return f"{self.limits.max_bytes / 1_000_000:g} MB"


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    return {
        httpx.ConnectTimeout: "no connection",
        httpx.ReadTimeout: "the server stopped sending",
        httpx.PoolTimeout: "no free connection",
        httpx.WriteTimeout: "the request could not be sent",
    }.get(type(exc), "timeout")
