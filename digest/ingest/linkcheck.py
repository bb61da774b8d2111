"""Whether links answer: each URL asked with HEAD, then GET when HEAD fails (many servers refuse
HEAD), with a timeout, many at once, the answers kept for a few minutes so that checking an
edition again after a change asks only for the links that are new."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from digest.ingest.fetch import MAX_REDIRECTS, USER_AGENT

TIMEOUT = 5.0  # seconds, to connect and for each read
KEEP = 300.0  # seconds an answer is kept
WORKERS = 16


@dataclass(frozen=True)
class LinkState:
    url: str
    ok: bool
    detail: str  # "HTTP 200", "HTTP 404 Not Found", "timed out", "ConnectError (...)"


class LinkChecker:
    """Thread-safe; one per process is enough (`links_checked` uses the shared one)."""

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
        self._kept: dict[str, tuple[float, LinkState]] = {}
        self._lock = threading.Lock()

    def check(self, urls: Iterable[str]) -> dict[str, LinkState]:
        wanted = list(dict.fromkeys(urls))
        now = self.clock()
        with self._lock:
            known = {u: self._kept[u][1] for u in wanted if u in self._kept and now - self._kept[u][0] < self.keep}
        asked = [u for u in wanted if u not in known]
        if asked:
            with (
                httpx.Client(
                    timeout=self.timeout,
                    follow_redirects=True,
                    max_redirects=MAX_REDIRECTS,
                    headers={"User-Agent": USER_AGENT},
                    verify=self.verify,
                ) as client,
                ThreadPoolExecutor(max_workers=min(WORKERS, len(asked))) as pool,
            ):
                found = list(pool.map(lambda url: _ask(client, url), asked))
            with self._lock:
                for state in found:
                    self._kept[state.url] = (self.clock(), state)
                    known[state.url] = state
        return {u: known[u] for u in wanted}

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()


def _ask(client: httpx.Client, url: str) -> LinkState:
    head = _once(client, "HEAD", url)
    return head if head.ok else _once(client, "GET", url)


def _once(client: httpx.Client, method: str, url: str) -> LinkState:
    try:
        with client.stream(method, url) as response:  # the body is never read
            status = response.status_code
            return LinkState(url, status < 400, f"HTTP {status} {response.reason_phrase}".rstrip())
    except httpx.TimeoutException:
        return LinkState(url, False, f"no answer within {client.timeout.read:g} s")
    except httpx.TooManyRedirects:
        return LinkState(url, False, f"more than {MAX_REDIRECTS} redirects")
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return LinkState(url, False, f"{type(exc).__name__} ({str(exc) or 'no detail'})")


shared = LinkChecker()
