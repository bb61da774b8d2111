"""Whether links answer: each URL asked with HEAD, then GET when HEAD fails (many servers refuse
HEAD), with a timeout, many at once, the answers kept for a few minutes so that checking an
edition again after a change asks only for the links that are new. Like fetching an article by
its URL, a check asks public addresses only unless told otherwise: a link in a mail must not make
the server ask its own network."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from digest.ingest.fetch import MAX_REDIRECTS, USER_AGENT, FetchError, require_public

TIMEOUT = 5.0  # seconds, to connect and for each read
KEEP = 300.0  # seconds an answer is kept
WORKERS = 16
PRIVATE = "it points to a private or local address, which readers cannot reach"  # asked neither way


@dataclass(frozen=True)
class LinkState:
    url: str
    ok: bool
    detail: str  # "HTTP 200", "HTTP 404 Not Found", "no answer within 5 s", "its host name does not resolve"


class LinkChecker:
    """Thread-safe; one per process is enough (the editions service uses `shared`)."""

    def __init__(
        self,
        timeout: float = TIMEOUT,
        keep: float = KEEP,
        clock: Callable[[], float] = time.monotonic,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.timeout = timeout
        self.verify = verify
        self.keep = keep
        self.clock = clock
        self._kept: dict[tuple[str, bool], tuple[float, LinkState]] = {}
        self._lock = threading.Lock()

    def check(self, urls: Iterable[str], public_only: bool = True) -> dict[str, LinkState]:
        """Each URL's state; with `public_only`, a link to a loopback, private or link-local address
        (or redirected to one) is not asked and fails."""
        wanted = list(dict.fromkeys(urls))
        now = self.clock()
        with self._lock:
            known = {
                u: kept[1]
                for u in wanted
                if (kept := self._kept.get((u, public_only))) is not None and now - kept[0] < self.keep
            }
        asked = [u for u in wanted if u not in known]
        if asked:
            with (
                httpx.Client(
                    timeout=self.timeout,
                    follow_redirects=True,
                    max_redirects=MAX_REDIRECTS,
                    headers={"User-Agent": USER_AGENT},
                    verify=self.verify,
                    event_hooks={"request": [require_public]} if public_only else None,
                ) as client,
                ThreadPoolExecutor(max_workers=min(WORKERS, len(asked))) as pool,
            ):
                found = list(pool.map(lambda url: _ask(client, url), asked))
            with self._lock:
                for state in found:
                    self._kept[(state.url, public_only)] = (self.clock(), state)
                    known[state.url] = state
        return {u: known[u] for u in wanted}

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()


def _ask(client: httpx.Client, url: str) -> LinkState:
    head = _once(client, "HEAD", url)
    return (
        head if head.ok or head.detail == PRIVATE else _once(client, "GET", url)
    )  # GET would be refused too


def _once(client: httpx.Client, method: str, url: str) -> LinkState:
    try:
        with client.stream(method, url) as response:  # the body is never read
            status = response.status_code
            return LinkState(url, status < 400, f"HTTP {status} {response.reason_phrase}".rstrip())
    except FetchError:  # refused before asking: the host is not a public address
        return LinkState(url, False, PRIVATE)
    except httpx.TimeoutException:
        return LinkState(url, False, f"no answer within {client.timeout.read:g} s")
    except httpx.TooManyRedirects:
        return LinkState(url, False, f"more than {MAX_REDIRECTS} redirects")
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return LinkState(url, False, _reason(exc))


def _reason(exc: httpx.HTTPError | httpx.InvalidURL) -> str:
    """What went wrong, in an editor's words (httpx's own message kept only where nothing fits)."""
    said = str(exc)
    if isinstance(exc, httpx.ConnectError):
        if "Name or service not known" in said or "No address associated" in said or "[Errno -" in said:
            return "its host name does not resolve"
        if "refused" in said.lower():
            return "its server refused the connection"
        if "CERTIFICATE" in said or "SSL" in said:
            return "its server's TLS certificate is not valid"
        return "could not connect to its server"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "its server broke off the answer"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "it is not a web address (http or https)"
    return f"the request failed ({said or type(exc).__name__})"


shared = LinkChecker()
