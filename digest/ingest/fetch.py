"""HTTP for ingest: one httpx client with timeouts, a body size cap, a redirect limit, compression,
a clear User-Agent and conditional GET. Every failure becomes a FetchError that says what went wrong
and where, so a broken source is recorded and the run goes on."""

from __future__ import annotations

import ipaddress
import random
import socket
import ssl
import time
from dataclasses import dataclass
from functools import cache

import httpx

from digest import __version__

USER_AGENT = f"digest/{__version__} (self-hosted newsletter digest service)"
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
ACCEPT_FEED = "application/feed+json, application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


class FetchError(Exception):
    """A fetch that gave no usable body: the message names the URL and the reason."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = (
            retry_after  # set when the failure is transient: seconds to wait, if the server said
        )


RETRY_STATUSES = {429, 502, 503, 504}


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
    retries: int = 1  # for transient failures: refused or dropped connections, 429, 502, 503, 504
    retry_delay: float = 1.0  # doubled for each retry, with jitter; a Retry-After up to max_retry_wait wins
    max_retry_wait: float = 30.0
    public_only: bool = (
        False  # refuse hosts (and redirects to hosts) on loopback, private or link-local addresses
    )


@cache
def _tls() -> ssl.SSLContext:
    """The TLS settings every client of the process shares (httpx's: certifi's authorities, or the
    SSL_CERT_FILE or _DIR named): loading the authorities takes tens of milliseconds, and a worker's
    task, which reads one source, makes its clients afresh."""
    return httpx.create_ssl_context()


class Fetcher:
    """A shared, thread-safe client. Use as a context manager, or call close()."""

    def __init__(self, limits: Limits = Limits(), transport: httpx.BaseTransport | None = None) -> None:
        self.limits = limits
        self.client = httpx.Client(
            timeout=httpx.Timeout(limits.read, connect=limits.connect),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            headers={"User-Agent": USER_AGENT},
            verify=_tls(),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            transport=transport,
            event_hooks={"request": [require_public]} if limits.public_only else None,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = ACCEPT_FEED,
    ) -> Fetched:
        """GET with the validators of the last run; transient failures are retried with back-off."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._get_once(url, headers, etag, last_modified)
            except FetchError as exc:
                if exc.retry_after is None or attempt >= self.limits.retries:
                    raise
                wait = exc.retry_after or self.limits.retry_delay * 2**attempt * random.uniform(0.5, 1.5)
                if wait > self.limits.max_retry_wait:
                    raise FetchError(f"{exc} (asked to wait {wait:.0f} s)") from None
                time.sleep(wait)
                attempt += 1

    def _get_once(
        self, url: str, headers: dict[str, str], etag: str | None, last_modified: str | None
    ) -> Fetched:
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(str(response.url), 304, etag=etag, last_modified=last_modified)
                if response.status_code >= 400:
                    raise FetchError(
                        f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                        _retry_after(response) if response.status_code in RETRY_STATUSES else None,
                    )
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
        except (httpx.ConnectError, httpx.RemoteProtocolError) as exc:
            raise FetchError(
                f"{url}: {type(exc).__name__} ({str(exc) or 'no detail'})", retry_after=0.0
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__} ({str(exc) or 'no detail'})") from None

    @property
    def _cap(self) -> str:
        return f"{self.limits.max_bytes / 1_000_000:g} MB"


def _retry_after(response: httpx.Response) -> float:
    """Seconds the server asks us to wait (Retry-After in seconds), or 0.0 for our own back-off."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else 0.0


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    return {
        httpx.ConnectTimeout: "no connection",
        httpx.ReadTimeout: "the server stopped sending",
        httpx.PoolTimeout: "no free connection",
        httpx.WriteTimeout: "the request could not be sent",
    }.get(type(exc), "timeout")


def require_public(request: httpx.Request) -> None:
    """Run before each request, redirects included: a host must resolve to public addresses only."""
    host = request.url.host
    try:
        found = {
            info[4][0] for info in socket.getaddrinfo(host, request.url.port or 443, type=socket.SOCK_STREAM)
        }
    except (socket.gaierror, UnicodeError):
        return  # the request itself reports a name that does not resolve
    for address in found:
        if not ipaddress.ip_address(str(address).split("%")[0]).is_global:
            raise FetchError(
                f"{request.url}: {host} is not a public address ({address}), so it is not fetched"
            )
