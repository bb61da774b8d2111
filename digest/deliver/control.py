"""Where a send stands (for `digest editions show` and the app) and how to say it; carrying on the
sends a stopped process left running. Pausing, resuming and canceling are editor operations
(digest.editions.service)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine

from digest.config import Settings
from digest.deliver.backends import Backend
from digest.deliver.send import SendReport, send_edition
from digest.domain import SETTLED, DeliveryStatus, EditionStatus, SendState
from digest.errors import Conflict
from digest.links import Links
from digest.store.deliveries import delivery_counts, interrupted_deliveries, last_sent_at
from digest.store.events import event_counts
from digest.store.sends import load_send, running_sends

log = logging.getLogger(__name__)
IN_FLIGHT = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


@dataclass(frozen=True)
class SendStatus:
    edition_status: EditionStatus
    state: SendState | None  # None before the first send
    counts: dict[str, int]
    events: dict[str, int] = field(default_factory=dict)
    started_at: datetime | None = None
    rate: float | None = None  # messages per second over the send so far
    interrupted: list[str] = field(default_factory=list)  # in flight at an interruption: maybe two copies

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def remaining(self) -> int:
        return sum(self.counts.get(s, 0) for s in (*IN_FLIGHT, DeliveryStatus.DEFERRED))

    @property
    def time_left(self) -> timedelta | None:
        """How long the rest takes at the rate so far (None before a first message, or once none remain)."""
        if not self.rate or not self.remaining:
            return None
        return timedelta(seconds=self.remaining / self.rate)


def send_status(conn: Connection, edition_id: int, edition_status: EditionStatus) -> SendStatus:
    send = load_send(conn, edition_id)
    counts = delivery_counts(conn, edition_id)
    rate = None
    last = last_sent_at(conn, edition_id) if send is not None and counts.get(DeliveryStatus.SENT) else None
    if send is not None and last is not None:
        rate = counts[DeliveryStatus.SENT] / max((last - send.started_at).total_seconds(), 1e-3)
    return SendStatus(
        edition_status,
        send.state if send else None,
        counts,
        event_counts(conn, edition_id),
        send.started_at if send else None,
        rate,
        interrupted_deliveries(conn, edition_id),
    )


def progress_line(counts: dict[str, int], rate: float | None, width: int = 30) -> str:
    """`[#######.......]  45%  sent 450 · failed 2 · deferred 3 · remaining 545 · 120/s`"""
    total = sum(counts.values())
    done = sum(counts.get(s, 0) for s in SETTLED)
    share = done / total if total else 1.0
    filled = round(share * width)
    return f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%}  " + progress_text(counts, rate)


def progress_text(counts: dict[str, int], rate: float | None) -> str:
    """`sent 450 · failed 2 · deferred 3 · remaining 545 · 120/s`"""
    remaining = sum(counts.get(s, 0) for s in IN_FLIGHT)
    parts = [f"sent {counts.get(DeliveryStatus.SENT, 0)}", f"failed {counts.get(DeliveryStatus.FAILED, 0)}",
             f"deferred {counts.get(DeliveryStatus.DEFERRED, 0)}", f"remaining {remaining}"]  # fmt: skip
    if counts.get(DeliveryStatus.CANCELED):
        parts.append(f"canceled {counts[DeliveryStatus.CANCELED]}")
    if rate:
        parts.append(f"{rate:.0f}/s")
    return " · ".join(parts)


def send_report_lines(status: SendStatus) -> list[str]:
    """What `digest editions show` prints about the send: progress bar, state, events, possible duplicates."""
    lines = [f"deliveries: {progress_line(status.counts, status.rate)}"]
    if status.state:
        lines.append(f"send: {status.state}, started {status.started_at:%Y-%m-%d %H:%M} UTC")
    if status.events:
        lines.append("events: " + ", ".join(f"{k} {v}" for k, v in sorted(status.events.items())))
    if status.interrupted:
        shown = ", ".join(status.interrupted[:10]) + (" ..." if len(status.interrupted) > 10 else "")
        lines.append(
            f"in flight at an interruption, may have received two copies: {len(status.interrupted)} ({shown})"
        )
    return lines


def resume_sends(engine: Engine, settings: Settings, backend: Backend, links: Links) -> list[SendReport]:
    """Carry on every send that was running when the process stopped (for `digest serve` at start-up
    and the scheduler). A send another live process holds, one paused, or one past the resume
    cut-off is left alone."""
    with engine.connect() as conn:
        running = running_sends(conn)
    reports = []
    for edition_id in running:
        try:
            reports.append(send_edition(engine, settings, edition_id, backend, links))
        except Conflict as exc:
            log.warning("edition #%s not resumed: %s", edition_id, exc)
    return reports
