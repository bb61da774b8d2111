"""What readers do with an edition, as digest itself sees it: clicks through its signed redirect links
and opens through its pixel, each recorded as a delivery event (provider "digest", kind "clicked"
or "opened"), a person's apart from a machine's.

A tracked copy (render.Tracking) carries, for each story, `/c/<link token>?r=<reader token>` and a
pixel `/o/<reader token>.gif`. The link token (subscribers.tokens, purpose "click") is signed once
per edition and story: it names the edition and its item, and the address it leads to is read from
that item (edition_items.url), so the redirect only ever goes where the edition linked. The reader
token (purpose "reader") is signed once per recipient and names the edition and the delivery row,
never the address. A link token that is not genuine leads to no address at all (the route shows the
invalid-link page); a genuine one whose item is not its edition's leads to the edition's archive
page; a genuine one with a reader token that is not (or is another edition's) still leads to the
story and records the click without a reader.

Machine rules (`machine_rule`), each named in the event's `reason`:

    head request        a HEAD asks whether the link answers; a person's browser GETs. Link checkers
                        and scanners ask with HEAD (RFC 9110 9.3.2: HEAD is for metadata, no body).
    scanner agent       no User-Agent at all, or one naming a security scanner, a link checker, an
                        HTTP library or a bot: Microsoft Defender / Safe Links, Office's "Existence
                        Discovery" pre-check (not Outlook itself: its "ms-office" image fetches are
                        a person's), Barracuda, Mimecast, Proofpoint, Cisco IronPort, Symantec,
                        Trend Micro, Sophos, FortiGuard, Google Safe Browsing, curl, python-requests,
                        "bot", "spider", "crawler", "HeadlessChrome"... (SCANNER_AGENTS): the names
                        those products put in their User-Agent, as email providers' notes on bot
                        clicks list them; a scanner that poses as a browser is left to the rules below.
    privacy proxy       Apple Mail Privacy Protection fetches every image of a message through Apple's
                        proxies as soon as it lands (SocketLabs, "Identifying Apple MPP opens";
                        Suped, "What methods do ESPs use to identify Apple MPP"), with a bare
                        "Mozilla/5.0" User-Agent naming no browser nor system, as ESPs report it
                        (PRIVACY_PROXY_AGENTS). Apple's egress IP ranges, the other signal, are not
                        reachable here. Google's image proxy ("GoogleImageProxy") fetches when a
                        person opens the mail: it counts as a person.
    soon after sent     within `lists[].tracking.machine_seconds` (10 s by default) of the row being
                        sent (deliveries.updated_at): a scanner at the receiving server follows every
                        link as the message arrives, and MPP fetches the pixel at delivery (Apple
                        says its Mail downloads remote content in the background when the mail is
                        received, not when it is viewed). No person reads and clicks that fast.
    burst               BURST_LINKS different stories of one message clicked within BURST_SECONDS:
                        a scanner following every link; the earlier clicks of the burst are marked
                        too (seen by this process; a second `digest serve` behind a balancer sees its own).

The route answers first: a hit goes on a queue, and one writer thread records what queued up every
FLUSH_SECONDS in one transaction (one insert for them all, one read of the deliveries' sent times), so a
redirect costs two signature checks and, once per story, one read of its link. When recording fails
it is logged and the readers still get where they were going (when even the story's link cannot be
read, to the edition's archive page).
"""

from __future__ import annotations

import logging
import queue
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine

from digest.config import ListSettings, Settings, TrackingSettings
from digest.domain import Edition
from digest.links import ARCHIVE_PATH, Links
from digest.render import Tracking
from digest.render.context import https_url
from digest.store.deliveries import sent_times
from digest.store.editions import item_url, list_of
from digest.store.events import NewEvent, mark_machine, record_events
from subscribers.tokens import InvalidToken, Tokens

log = logging.getLogger(__name__)

PROVIDER = "digest"
CLICKED, OPENED = "clicked", "opened"
BURST_LINKS = 3  # different stories of one message clicked ...
BURST_SECONDS = 1.0  # ... within this: a scanner following every link
FLUSH_SECONDS = 0.05  # how long the writer lets hits gather before one transaction records them
QUEUE_LIMIT = 100_000  # hits waiting at most; past it a hit is dropped (logged), the reader still served
URL_CACHE = 10_000  # story links kept in memory (a sent edition's items do not change)
SCANNER_AGENTS = re.compile(
    r"bot\b|bot/|spider|crawl|slurp|scan|preview|checker|validator|monitor|headless|phantomjs|"
    r"curl/|wget/|python-requests|python-urllib|aiohttp|httpx|go-http-client|java/|okhttp|libwww|"
    r"safelinks|defender|office existence discovery|barracuda|mimecast|proofpoint|ironport|cisco|"
    r"symantec|messagelabs|trend ?micro|sophos|forti|websense|forcepoint|zscaler|mcafee|paloalto|"
    r"google-safety|googlesafebrowsing|virustotal|urldefense|appengine-google",
    re.IGNORECASE,
)
PRIVACY_PROXY_AGENTS = re.compile(r"^Mozilla/5\.0$")  # Apple MPP's proxy names no browser nor system


def tracking_of(edition: Edition, lst: ListSettings, links: Links) -> Tracking | None:
    """What a tracked copy of the edition carries, or None when the list tracks neither clicks nor opens."""
    settings = lst.tracking
    if edition.id is None or not (settings.clicks or settings.opens):
        return None
    clicks = (
        {b.item_id: links.click(edition.id, b.item_id) for b in edition.items if b.item_id is not None and b.url}
        if settings.clicks
        else {}
    )
    return Tracking(clicks=clicks, pixel=links.pixel() if settings.opens else None)


@dataclass(frozen=True)
class Hit:
    """One fetch of a tracked link or pixel."""

    kind: str  # CLICKED or OPENED
    edition_id: int
    delivery_id: int | None  # None: the reader token was not genuine (a forwarded or damaged link)
    item_id: int | None = None
    url: str | None = None
    head: bool = False
    agent: str = ""
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    event_id: str = field(default_factory=lambda: f"digest-{secrets.token_hex(12)}")


def machine_rule(hit: Hit, sent_at: datetime | None, window: float) -> str | None:
    """The rule (see the module's docstring) by which a machine made this hit, or None: a person."""
    if hit.head:
        return "head request"
    agent = hit.agent.strip()
    if PRIVACY_PROXY_AGENTS.match(agent):
        return "privacy proxy"
    if not agent or SCANNER_AGENTS.search(agent):
        return "scanner agent"
    if sent_at is not None and timedelta(0) <= hit.at - sent_at <= timedelta(seconds=window):
        return "soon after sent"
    return None


class Readers:
    """The redirects' and the pixel's service: `click` and `opened` answer at once and queue the hit;
    a writer thread (started with the first hit) records them. `stop` records what is queued."""

    def __init__(self, engine: Engine, settings: Settings, tokens: Tokens):
        self.engine, self.settings, self.tokens = engine, settings, tokens
        self._queue: queue.Queue[Hit | None] = queue.Queue(QUEUE_LIMIT)
        self._urls: dict[tuple[int, int], str | None] = {}
        self._windows: dict[int, float] = {}  # edition -> its list's machine_seconds
        self._recent: dict[int, deque[tuple[datetime, int, str]]] = defaultdict(deque)  # the bursts' clicks
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition()
        self._pending = 0

    # the routes' side

    def click(self, link_token: str, reader_token: str | None, *, head: bool, agent: str) -> str | None:
        """Where a tracked link leads: the story's address; the edition's archive path when the story
        is not the edition's (or has no link); None when the link token is not genuine (no redirect)."""
        try:
            edition_id, item_id = self.tokens.verify_ids("click", link_token, 2)
        except InvalidToken:
            return None
        url = self._url(edition_id, item_id)
        if url is None:
            return ARCHIVE_PATH.format(edition_id=edition_id)
        self._put(Hit(CLICKED, edition_id, self._reader(reader_token, edition_id), item_id, url, head, agent))
        return url

    def opened(self, reader_token: str, *, head: bool, agent: str) -> None:
        """Record an open of the copy the reader token names; nothing for one that is not genuine."""
        try:
            edition_id, delivery_id = self.tokens.verify_ids("reader", reader_token, 2)
        except InvalidToken:
            return
        self._put(Hit(OPENED, edition_id, delivery_id, head=head, agent=agent))

    def _reader(self, token: str | None, edition_id: int) -> int | None:
        try:
            of_edition, delivery_id = self.tokens.verify_ids("reader", token or "", 2)
        except InvalidToken:
            return None
        return delivery_id if of_edition == edition_id else None  # another edition's copy: no reader

    def _url(self, edition_id: int, item_id: int) -> str | None:
        """The story's address as the mail showed it (https_url), read once per story."""
        key = (edition_id, item_id)
        if key not in self._urls:
            try:
                with self.engine.connect() as conn:
                    found = https_url(item_url(conn, edition_id, item_id))
            except Exception:  # the database is away: the edition's archive page, which says so
                log.exception("reader events: the link of item %d of edition #%d could not be read", item_id, edition_id)
                return None
            if len(self._urls) >= URL_CACHE:
                self._urls.clear()
            self._urls[key] = found
        return self._urls[key]

    def _put(self, hit: Hit) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._write, name="digest-readers", daemon=True)
                self._thread.start()
        with self._idle:
            self._pending += 1
        try:
            self._queue.put_nowait(hit)
        except queue.Full:
            self._done(1)
            log.warning("reader events: %d waiting to be recorded, a %s was dropped", QUEUE_LIMIT, hit.kind)

    # the writer's side

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every hit queued so far is recorded (or given up on); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stop(self) -> None:
        """Record what is queued, then end the writer (on shutdown)."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout=30)

    def _done(self, n: int) -> None:
        with self._idle:
            self._pending -= n
            self._idle.notify_all()

    def _write(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            hits, stop = [first], False
            time.sleep(FLUSH_SECONDS)  # let a burst gather: one transaction for all of it
            while True:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                hits.append(more)
            try:
                self._record_each(hits)
            finally:
                self._done(len(hits))
            if stop:
                return

    def _record_each(self, hits: list[Hit]) -> None:
        """All at once; should that fail, one by one, so one bad hit loses only itself."""
        try:
            self.record(hits)
            return
        except Exception:
            if len(hits) == 1:  # the readers were served; what they did is lost, and said so
                log.exception("reader events: 1 could not be recorded")
                return
        lost = 0
        for hit in hits:
            try:
                self.record([hit])
            except Exception:
                lost += 1
        if lost:
            log.error("reader events: %d of %d could not be recorded", lost, len(hits))

    def record(self, hits: Iterable[Hit]) -> None:
        """Record these hits in one transaction, each with the machine rule it meets, all in one
        insert (digest.store.events.record_events). A delivery row that is no more (erased since)
        is not named. A burst's earlier clicks are marked too: in memory when they are of this
        batch, by an update when they were recorded before."""
        hits = list(hits)
        with self.engine.begin() as conn:
            sent = sent_times(conn, sorted({h.delivery_id for h in hits if h.delivery_id is not None}))
            reasons: dict[str, str | None] = {}
            before: list[str] = []  # earlier clicks of a burst, recorded by an earlier batch
            for n, hit in enumerate(hits):
                if hit.delivery_id is not None and hit.delivery_id not in sent:
                    hits[n] = hit = replace(hit, delivery_id=None)
                reason = machine_rule(hit, sent.get(hit.delivery_id or 0), self._window(conn, hit.edition_id))
                earlier = self._burst(hit) if hit.kind == CLICKED and not reason else []
                if earlier:
                    reason = "burst"
                    for event_id in earlier:
                        if event_id in reasons:
                            reasons[event_id] = reason
                        else:
                            before.append(event_id)
                reasons[hit.event_id] = reason
            mark_machine(conn, before, "machine: burst")
            record_events(conn, [
                NewEvent(h.event_id, PROVIDER, h.kind, h.edition_id, h.delivery_id,
                         f"machine: {reasons[h.event_id]}" if reasons[h.event_id] else None, h.at, h.item_id, h.url,
                         reasons[h.event_id] is not None)
                for h in hits
            ])  # fmt: skip

    def _window(self, conn: Connection, edition_id: int) -> float:
        """The edition's list's `tracking.machine_seconds` (the default for a list no longer configured)."""
        if edition_id not in self._windows:
            list_id = list_of(conn, edition_id)
            lst = next((x for x in self.settings.lists if x.id == list_id), None)
            self._windows[edition_id] = (lst.tracking if lst else TrackingSettings()).machine_seconds
        return self._windows[edition_id]

    def _burst(self, hit: Hit) -> list[str]:
        """The event ids of this message's earlier clicks in a burst with this one (BURST_LINKS
        different stories within BURST_SECONDS), or []."""
        if hit.delivery_id is None or hit.item_id is None:
            return []
        recent = self._recent[hit.delivery_id]
        while recent and (hit.at - recent[0][0]).total_seconds() > BURST_SECONDS:
            recent.popleft()
        recent.append((hit.at, hit.item_id, hit.event_id))
        if len(self._recent) > URL_CACHE:  # forget the messages clicked long ago
            for key in [k for k, v in self._recent.items() if not v or (hit.at - v[-1][0]).total_seconds() > 60]:
                del self._recent[key]
        if len({item for _, item, _ in recent}) < BURST_LINKS:
            return []
        return [event_id for _, _, event_id in recent if event_id != hit.event_id]
