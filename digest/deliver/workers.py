"""An edition sent by many workers (execution: celery), batch by batch.

`send_edition` creates the rows as always, then enqueues one `send_batch` task per batch of rows
that may go, each told the id its batch starts at (`enqueue_batches`); any worker takes any of them.
A task claims its batch with FOR UPDATE SKIP LOCKED (digest.store.deliveries.claim_batch), so workers
claiming at once never wait for each other or take the same row; the claim names the worker and holds
for `delivery.claim_seconds`. Starting at its own rows, a claim costs the same at the end of a
million-row edition as at its start.
The batch goes to the backend and each row is settled as in a local send (digest.deliver.batches.record);
the task that finds nothing left to send marks the edition sent.

The rows are the truth, the broker only carries work:
- a worker killed mid-batch leaves its rows 'sending'; once their claim lapses, a task whose batch
  comes out short (near the send's end, or enqueued again when the send stalled) takes them back and
  sends them, flagged as possible duplicates (one batch per task the worker was running);
- a task lost with the broker, a batch deferred for later, or a worker killed when it was the last:
  the scheduler's dispatch (and `digest send`, while it follows) finds a send with rows to go and no
  activity for a while, and enqueues its batches again (`enqueue_batches`). A task with nothing
  left to claim ends at once, so an extra one costs nothing;
- every worker keeps to the provider's limits together (SharedThrottle).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from digest.config import Settings
from digest.deliver.backends import Backend
from digest.deliver.batches import Copies, Progress, finish_if_done, outgoing_of, record, render_copies
from digest.deliver.throttle import SharedThrottle, Throttle
from digest.domain import SETTLED, UNFINISHED, DeliveryStatus, Edition, SendState
from digest.errors import NotFound
from digest.links import Links
from digest.queue import enqueue
from digest.store.deliveries import (
    Claimed,
    batch_starts,
    claim_batch,
    claims_in_flight,
    delivery_counts,
    more_after,
    reclaim_lapsed,
)
from digest.store.editions import load_edition
from digest.store.sends import load_send, mark_active

QUIET = 60.0  # seconds without a claim or an enqueueing (or a claim's length, if shorter): tasks were lost
ACTIVE_EVERY = 5.0  # seconds: how often one process marks a send active, at most (a claim's length / 4 if less)
_MARKED: dict[int, float] = {}  # edition -> when this process last marked it active (monotonic)
_RENDERED: dict[int, tuple[Edition, Copies]] = {}  # per worker process


def batch_size(settings: Settings) -> int:
    return Throttle(settings.delivery.throttle).largest_batch(settings.delivery.batch_size)


def enqueue_batches(engine: Engine, settings: Settings, edition_id: int) -> int:
    """One `send_batch` task per batch of rows that may go now (a lapsed claim's among them), each
    told where its batch starts, when the send runs and nothing has happened to it for a while:
    whatever tasks it had are lost or done. A send that is active (its tasks queued or running) is
    left alone. How many were enqueued."""
    at = datetime.now(UTC)
    quiet = timedelta(seconds=min(QUIET, settings.delivery.claim_seconds))
    with engine.begin() as conn:
        send = load_send(conn, edition_id)
        if send is None or send.state != SendState.RUNNING:
            return 0
        if send.active_at is not None and at - send.active_at < quiet:
            return 0
        starts = batch_starts(conn, edition_id, batch_size(settings), at)
        if starts:
            mark_active(conn, edition_id)
    for start in starts:
        enqueue(settings, "send_batch", edition_id, start)
    return len(starts)


def send_batch(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    start: int,
    backend: Backend,
    links: Links,
    worker: str,
) -> int:
    """One batch of the edition's send, from row `start` on, claimed by `worker`: how many rows it
    sent. A batch that comes out short (the send's end is near, or rows were lost) first takes back
    the rows of lapsed claims; the task that may have sent the last batch looks whether the send is
    done."""
    with engine.connect() as conn:
        send = load_send(conn, edition_id)
        if send is None or send.state != SendState.RUNNING:
            return 0  # paused, canceled or done: a resume enqueues the batches again
        edition, content = _rendered(conn, settings, edition_id, links)
    delivery, lst = settings.delivery, settings.get_list(edition.list_id)
    size = batch_size(settings)
    SharedThrottle(engine, backend.name, delivery.throttle).acquire(size)
    at = datetime.now(UTC)
    until = at + timedelta(seconds=delivery.claim_seconds)
    with engine.begin() as conn:
        rows = claim_batch(conn, edition_id, size, worker, until, at, start)
        if len(rows) < size and reclaim_lapsed(conn, edition_id, at):
            rows += claim_batch(conn, edition_id, size - len(rows), worker, until, at)
    sent = 0
    if rows:
        _keep_active(engine, edition_id, min(ACTIVE_EVERY, delivery.claim_seconds / 4))
        batch = [outgoing_of(content, row, lst, links) for row in rows]
        sent, _, _ = record(engine, delivery, lst, edition_id, batch, lambda: backend.send(batch), backend.name)
    if len(rows) < size or not _more_after(engine, edition_id, rows[-1].delivery.id):
        finish_if_done(engine, settings, edition_id)
    return sent


def _keep_active(engine: Engine, edition_id: int, every: float) -> None:
    """Mark the send active (a batch was claimed), at most `every` seconds per process: every
    worker's claims at once would otherwise wait on the send's one row."""
    now = time.monotonic()
    if now - _MARKED.get(edition_id, -math.inf) >= every:
        _MARKED[edition_id] = now
        with engine.begin() as conn:
            mark_active(conn, edition_id)


def _more_after(engine: Engine, edition_id: int, after: int | None) -> bool:
    with engine.connect() as conn:
        return more_after(conn, edition_id, after or 0)


def _rendered(conn: Connection, settings: Settings, edition_id: int, links: Links) -> tuple[Edition, Copies]:
    """The edition and its content rendered, once per worker process: a sending edition is frozen."""
    if edition_id not in _RENDERED:
        edition = load_edition(conn, edition_id)
        if edition is None:
            raise NotFound(f"no edition #{edition_id}")
        lst = settings.get_list(edition.list_id)
        _RENDERED.clear()  # a worker sends one edition at a time, mostly
        _RENDERED[edition_id] = edition, render_copies(edition, lst, settings.template_folders(lst), links)
    return _RENDERED[edition_id]


def follow(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    progress: Callable[[Progress], None],
) -> None:
    """Show the workers' progress on a send until it is done, paused or canceled, or only deferred
    rows are left (the dispatch enqueues them when they are due). A send that makes no progress
    meanwhile is looked at: one that stalled (a worker died with the last batches) has its batches
    enqueued again. Counting a large edition's rows costs the database: it is done every second for
    100,000 rows, less often for more (every 10 s for a million or more)."""
    started, first, last = time.monotonic(), None, None
    while True:
        with engine.connect() as conn:
            counts = delivery_counts(conn, edition_id)
            send = load_send(conn, edition_id)
        done = sum(counts.get(s, 0) for s in SETTLED)
        first = done if first is None else first
        progress(Progress(sum(counts.values()), counts, (done - first) / max(time.monotonic() - started, 1e-6)))
        waiting = {s for s in UNFINISHED if counts.get(s)}
        if send is None or send.state != SendState.RUNNING or waiting <= {DeliveryStatus.DEFERRED}:
            return
        if done == last:
            enqueue_batches(engine, settings, edition_id)
        last = done
        time.sleep(min(10.0, max(1.0, sum(counts.values()) / 100_000)))


@dataclass
class WorkersNow:
    """What `digest status` shows of the workers: those that answered, the tasks waiting, and the
    batches with a backend now (by worker process and edition)."""

    workers: dict[str, dict[str, Any]]
    queued: int | None  # None: the broker could not be asked
    in_flight: list[Claimed]
    problem: str | None = None


def workers_now(engine: Engine, settings: Settings, timeout: float = 1.0) -> WorkersNow:
    from digest.queue import queued, workers

    with engine.connect() as conn:
        in_flight = claims_in_flight(conn)
    try:
        return WorkersNow(workers(settings, timeout), queued(settings), in_flight)
    except Exception as exc:  # the broker down or unreachable: say so, show what the database knows
        return WorkersNow({}, None, in_flight, f"the broker did not answer: {type(exc).__name__}: {exc}")
