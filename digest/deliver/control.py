"""Pause, resume and cancel a send, and say where it stands (for `digest editions show` and the app)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, func, select

from digest.config import Settings
from digest.deliver.backends import Backend
from digest.deliver.send import SendReport, send_edition
from digest.errors import Conflict, NotFound
from digest.links import Links
from digest.store.editions import (
    SendState,
    cancel_remaining,
    delivery_counts,
    event_counts,
    interrupted_deliveries,
    load_edition,
    load_send,
    set_edition_status,
    set_send_state,
)
from digest.store.tables import deliveries, edition_sends, editions

log = logging.getLogger(__name__)


@dataclass
class SendStatus:
    edition_status: str
    state: str | None  # running, paused, canceled, done; None before the first send
    counts: dict[str, int]
    events: dict[str, int]
    started_at: datetime | None
    rate: float | None  # messages per second over the send so far
    interrupted: list[str]  # addresses in flight at an interruption: each may have had two copies

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def remaining(self) -> int:
        return sum(self.counts.get(s, 0) for s in ("pending", "sending", "deferred"))


def _sending(conn: Connection, edition_id: int) -> SendState:
    edition = load_edition(conn, edition_id)
    if edition is None:
        raise NotFound(f"no edition #{edition_id}")
    send = load_send(conn, edition_id)
    if edition.status != "sending" or send is None:
        raise Conflict(f"edition #{edition_id} is {edition.status}: only a send in progress can be paused, resumed or canceled")
    return send


def pause(engine: Engine, edition_id: int) -> None:
    """The sender stops after the batch in flight; nothing is lost, `resume` goes on."""
    with engine.begin() as conn:
        if _sending(conn, edition_id).state != "running":
            raise Conflict(f"the send of edition #{edition_id} is not running")
        set_send_state(conn, edition_id, "paused")


def resume(engine: Engine, edition_id: int) -> None:
    with engine.begin() as conn:
        if _sending(conn, edition_id).state != "paused":
            raise Conflict(f"the send of edition #{edition_id} is not paused")
        set_send_state(conn, edition_id, "running")


def cancel(engine: Engine, edition_id: int) -> int:
    """Rows not yet handed over are canceled; returns how many. Messages already sent stay sent."""
    with engine.begin() as conn:
        _sending(conn, edition_id)
        set_send_state(conn, edition_id, "canceled")
        n = cancel_remaining(conn, edition_id)
        set_edition_status(conn, edition_id, "canceled")
    return n


def status(engine: Engine, edition_id: int) -> SendStatus:
    with engine.connect() as conn:
        edition = load_edition(conn, edition_id)
        if edition is None:
            raise NotFound(f"no edition #{edition_id}")
        send = load_send(conn, edition_id)
        counts = delivery_counts(conn, edition_id)
        rate = None
        if send is not None and counts.get("sent"):
            last = conn.execute(
                select(func.max(deliveries.c.updated_at)).where(
                    deliveries.c.edition_id == edition_id, deliveries.c.status == "sent"
                )
            ).scalar_one()
            last = last.replace(tzinfo=send.started_at.tzinfo) if last.tzinfo is None else last
            rate = counts["sent"] / max((last - send.started_at).total_seconds(), 1e-3)
        return SendStatus(
            edition.status,
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
    done = sum(counts.get(s, 0) for s in ("sent", "failed", "canceled"))
    share = done / total if total else 1.0
    filled = round(share * width)
    return f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%}  " + progress_text(counts, rate)


def progress_text(counts: dict[str, int], rate: float | None) -> str:
    """`sent 450 · failed 2 · deferred 3 · remaining 545 · 120/s`"""
    remaining = sum(counts.get(s, 0) for s in ("pending", "sending"))
    parts = [f"sent {counts.get('sent', 0)}", f"failed {counts.get('failed', 0)}",
             f"deferred {counts.get('deferred', 0)}", f"remaining {remaining}"]
    if counts.get("canceled"):
        parts.append(f"canceled {counts['canceled']}")
    if rate:
        parts.append(f"{rate:.0f}/s")
    return " · ".join(parts)


def send_report_lines(engine: Engine, edition_id: int) -> list[str]:
    """What `digest editions show` prints about the send: progress bar, state, events, possible duplicates."""
    s = status(engine, edition_id)
    lines = [f"deliveries: {progress_line(s.counts, s.rate)}"]
    if s.state:
        lines.append(f"send: {s.state}, started {s.started_at:%Y-%m-%d %H:%M} UTC")
    if s.events:
        lines.append("events: " + ", ".join(f"{k} {v}" for k, v in sorted(s.events.items())))
    if s.interrupted:
        shown = ", ".join(s.interrupted[:10]) + (" ..." if len(s.interrupted) > 10 else "")
        lines.append(f"in flight at an interruption, may have received two copies: {len(s.interrupted)} ({shown})")
    return lines


def resume_sends(engine: Engine, settings: Settings, backend: Backend, links: Links) -> list[SendReport]:
    """Carry on every send that was running when the process stopped (for `digest serve` at start-up
    and the scheduler). A send another live process holds, one paused, or one past the resume
    cut-off is left alone."""
    with engine.connect() as conn:
        running = conn.execute(
            select(edition_sends.c.edition_id)
            .join(editions, editions.c.id == edition_sends.c.edition_id)
            .where(editions.c.status == "sending", edition_sends.c.state == "running")
            .order_by(edition_sends.c.edition_id)
        ).scalars().all()
    reports = []
    for edition_id in running:
        try:
            reports.append(send_edition(engine, settings, edition_id, backend, links))
        except Conflict as exc:
            log.warning("edition #%s not resumed: %s", edition_id, exc)
    return reports
