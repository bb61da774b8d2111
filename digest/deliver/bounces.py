"""Bounces and complaints of SMTP (and file backend) mail, received two ways and applied as SendGrid's
are: a report (digest.deliver.reports) becomes ProviderEvents, digest.deliver.tracking applies each
once, then digest.deliver.alerts mails what became due.

    listen(settings, engine, host, port)   an SMTP listener (aiosmtpd) for delivery.bounces.address:
                                            the relay hands it the reports that come back
    fetch(settings, engine)                 the unseen messages of an IMAP mailbox
                                            (delivery.bounces.imap), each marked seen or deleted

A report acts only on a message we sent to that address: its event names a delivery row (by the
returned Message-ID) whose address is the report's recipient. Anything else (a report about a
notice, about someone else's mail, a forged one naming an address it did not get) is logged and
left alone, so a stranger cannot suppress an address by mailing the bounce address.
"""

from __future__ import annotations

import asyncio
import imaplib
import logging
import ssl
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from digest import config
from digest.config import Settings
from digest.deliver import alerts, tracking
from digest.deliver.reports import MalformedReport, parse_report
from digest.deliver.tracking import ProviderEvent
from digest.errors import BackendError, ConfigError
from digest.store.deliveries import delivery_of
from subscribers.addresses import InvalidAddress, identity, normalize

log = logging.getLogger("digest.bounces")

MAX_MESSAGE = 10 * 1024 * 1024  # a report with its returned message; more is not a report


@dataclass
class Received:
    """What one received message did."""

    kind: str  # dsn, arf, none
    applied: int = 0  # events new to the store
    ignored: list[str] = field(default_factory=list)  # why an event (or the message) was left alone


def receive(settings: Settings, engine: Engine, raw: bytes) -> Received:
    """Parse one received message and apply its events. Raises MalformedReport for a broken report."""
    report = parse_report(raw)
    where = f"message {report.message_id or '(no Message-ID)'}"
    if report.kind == "none":
        log.info("%s ignored: %s", where, report.note)
        return Received("none", ignored=[report.note])
    done = Received(report.kind, ignored=[report.note] if report.note else [])
    kept = []
    with engine.connect() as conn:
        for event in report.events:
            why = _foreign(conn, event)
            if why:
                done.ignored.append(f"{event.recipient}: {why}")
            else:
                kept.append(event)
    for note in done.ignored:
        log.info("%s (%s): %s", where, report.kind, note)
    done.applied = tracking.apply(engine, kept)
    log.info("%s (%s): %d event(s), %d new", where, report.kind, len(kept), done.applied)
    alerts.check_events(engine, settings, kept)
    return done


def _foreign(conn: Connection, event: ProviderEvent) -> str | None:
    """Why this event is not about a message we sent to its recipient; None when it is."""
    if event.delivery_id is None:
        return "the returned message is not one of our deliveries (no Message-ID of ours)"
    delivery = delivery_of(conn, event.delivery_id)
    if delivery is None:
        return f"no delivery #{event.delivery_id}"
    try:
        same = identity(normalize(event.recipient)) == identity(delivery.email)
    except InvalidAddress:
        same = False
    return None if same else f"delivery #{event.delivery_id} went to another address"


# -- (a) an SMTP listener for the bounce address ---------------------------------------------------


class BounceHandler:
    """aiosmtpd's handler: mail for the bounce address only; each message applied as it arrives."""

    def __init__(self, settings: Settings, engine: Engine):
        address = settings.delivery.bounces.address
        if not address:
            raise ConfigError("delivery.bounces.address: not set; `digest bounces serve` takes mail for it")
        self.settings, self.engine = settings, engine
        self.address = identity(normalize(str(address)))

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's names)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        try:
            ours = identity(normalize(address)) == self.address
        except InvalidAddress:
            ours = False
        if not ours:
            return f"550 5.1.1 <{address}>: not the bounce address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        raw = raw if isinstance(raw, bytes) else str(raw).encode("utf-8", "replace")
        try:
            done = await asyncio.get_running_loop().run_in_executor(None, receive, self.settings, self.engine, raw)
        except MalformedReport as exc:
            log.warning("a malformed report from %s refused: %s", envelope.mail_from or "<>", exc)
            return f"550 5.6.0 not a report we can read: {exc}"[:500]
        except Exception:  # the database, most likely: the relay keeps the report and tries again
            log.exception("a report from %s could not be applied", envelope.mail_from or "<>")
            return "451 4.3.0 could not apply the report now, try again later"
        return f"250 OK {done.kind}: {done.applied} applied"


def listen(settings: Settings, engine: Engine, host: str, port: int, ready: threading.Event | None = None,
           stop: threading.Event | None = None) -> None:  # fmt: skip
    """Serve until `stop` is set (forever without one)."""
    from aiosmtpd.controller import Controller

    handler = BounceHandler(settings, engine)
    controller = Controller(handler, hostname=host, port=port, data_size_limit=MAX_MESSAGE)
    try:
        controller.start()
    except (OSError, RuntimeError) as exc:
        raise BackendError(f"cannot listen on {host}:{port}: {exc}") from None
    try:
        log.info("taking bounces for %s on %s:%d", settings.delivery.bounces.address, host, port)
        if ready is not None:
            ready.set()
        (stop or threading.Event()).wait()
    finally:
        controller.stop()


# -- (b) an IMAP mailbox ---------------------------------------------------------------------------


@dataclass
class Fetched:
    read: int = 0
    applied: int = 0
    malformed: int = 0
    ignored: int = 0  # messages that were no report, or whose events were all left alone


def fetch(settings: Settings, engine: Engine) -> Fetched:
    """Read the unseen messages of the bounce mailbox and apply them; each read message is marked
    seen, or deleted (delivery.bounces.imap.processed). A malformed one is marked seen and kept,
    for a person to look at. Raises BackendError when the mailbox cannot be reached or opened."""
    imap = settings.delivery.bounces.imap
    if not imap.host:
        raise ConfigError("delivery.bounces.imap.host: not set; `digest bounces fetch` reads that mailbox")
    password = config.secret(config.IMAP_PASSWORD_ENV)
    if imap.username and not password:
        raise ConfigError(f"delivery.bounces.imap.username is set but {config.IMAP_PASSWORD_ENV} is not")
    where = f"imap {imap.host}:{imap.port or (993 if imap.security == 'tls' else 143)}"
    done = Fetched()
    try:
        client = _imap_connect(imap)
        try:
            if imap.username:
                client.login(imap.username, password or "")
            status, _ = client.select(_quoted(imap.folder))
            if status != "OK":
                raise BackendError(f"{where}: no folder {imap.folder!r}")
            status, found = client.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
            uids = found[0].split() if status == "OK" and found and found[0] else []
            for uid in uids:
                _one(settings, engine, client, uid.decode(), imap.processed, done)
            if imap.processed == "delete" and uids:
                client.expunge()
        finally:
            try:
                client.logout()
            except (imaplib.IMAP4.error, OSError):
                pass
    except imaplib.IMAP4.error as exc:
        raise BackendError(f"{where}: {exc}") from None
    except (OSError, ssl.SSLError) as exc:
        raise BackendError(f"{where}: cannot connect: {exc}") from None
    return done


def _one(settings: Settings, engine: Engine, client: imaplib.IMAP4, uid: str, processed: str, done: Fetched) -> None:
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((part[1] for part in data or [] if isinstance(part, tuple)), None)
    if status != "OK" or not isinstance(raw, bytes):
        log.warning("imap message %s could not be read: %s", uid, status)
        return
    done.read += 1
    flag = "(\\Deleted)" if processed == "delete" else "(\\Seen)"
    try:
        received = receive(settings, engine, raw)
    except MalformedReport as exc:
        log.warning("imap message %s is a malformed report, kept: %s", uid, exc)
        done.malformed += 1
        flag = "(\\Seen)"
    else:
        done.applied += received.applied
        done.ignored += received.kind == "none" or (received.applied == 0 and bool(received.ignored))
    client.uid("STORE", uid, "+FLAGS", flag)


def _imap_connect(imap: config.ImapSettings) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    if imap.security == "tls":
        return imaplib.IMAP4_SSL(imap.host or "", imap.port or 993, ssl_context=context, timeout=imap.timeout)
    client = imaplib.IMAP4(imap.host or "", imap.port or 143, timeout=imap.timeout)
    if imap.security == "starttls":
        client.starttls(ssl_context=context)
    return client


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
