"""Send an edition from its delivery rows.

The rows are created, one per recipient, in the same transaction that moves the edition to
`sending`; after that the send only ever works from the rows: a batch is claimed (pending ->
sending), handed to the backend, and each row becomes `sent` only when the backend accepted it.
One process sends an edition at a time (a lease); at most `delivery.in_flight` batches (one by
default) are ever with the backend, so after a kill -9 the rows found still `sending` -- the only
ones that may go out twice -- are that many batches at most. They are sent again, flagged
`interrupted`, and reported.

No row stays `sending` when a send returns or raises: a recipient whose message cannot be built or
is refused fails alone, with its reason (the backends see to it); a batch that ends in an error no
backend should raise is deferred, flagged `interrupted` (some of it may have gone out), and the
error goes on up. Only a killed process leaves rows `sending`, for the next run to recover.

With `execution: celery` the rows are created the same way, then handed to the workers, batch by
batch (digest.deliver.workers); `digest send` follows them.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice

from sqlalchemy import Connection, Engine

from digest.config import ListSettings, Settings
from digest.deliver.backends import Backend, Result
from digest.deliver.batches import Progress, finish_if_done, outgoing_of, record, render_copies, row_id
from digest.deliver.localtime import local_hour
from digest.deliver.message import Outgoing
from digest.deliver.throttle import Throttle
from digest.deliver.workers import enqueue_batches, follow
from digest.domain import (
    SENDABLE,
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    SendState,
)
from digest.errors import Conflict, NotFound
from digest.links import Links
from digest.store.deliveries import (
    analyze_deliveries,
    claim,
    delivery_counts,
    insert_deliveries,
    next_batch,
    next_deferred,
    recover_in_flight,
)
from digest.store.editions import begin_sending, load_edition
from digest.store.leases import Lease, send_lease_name
from digest.store.sends import load_send, start_send
from subscribers.segments import get_segment
from subscribers.service import recipients

SEND_LEASE_SECONDS = 15 * 60  # renewed with every batch; a lease left by another host passes on after it
# Set when the process stops (SIGTERM to `digest serve`): a send finishes its batch in flight and
# stops there, still 'running', so the next process to start resumes it.
SHUTTING_DOWN = threading.Event()
ROWS_CHUNK = 10_000  # recipients read and rows written at a time: memory stays bounded


@dataclass
class SendReport:
    edition_id: int
    recipients: int
    sent_now: int
    counts: dict[str, int]
    status: EditionStatus
    state: SendState = SendState.RUNNING
    interrupted_now: int = 0  # rows found in flight from a killed run, sent again (possible duplicates)
    next_retry: datetime | None = None
    rate: float = 0.0
    notes: list[str] = field(default_factory=list)


def _create_rows(conn: Connection, edition: Edition, lst: ListSettings) -> int:
    """One row per confirmed, non-suppressed member at this moment (of the edition's segment, when it
    has one), in chunks: pending, or, for a list sent at each subscriber's local hour, deferred until
    that hour where it is still ahead."""
    assert edition.id is not None  # a stored edition
    edition_id, total, now = edition.id, 0, datetime.now(UTC)
    segment = get_segment(conn, edition.segment_id) if edition.segment_id is not None else None
    if edition.segment_id is not None and segment is None:  # deleting it is refused while it waits
        raise Conflict(f"edition #{edition_id} is to go to segment #{edition.segment_id}, which is no more")
    stream = recipients(conn, lst.id, batch=ROWS_CHUNK, segment=segment.query if segment else None)
    while chunk := list(islice(stream, ROWS_CHUNK)):
        rows = [
            Delivery(
                edition_id, r.subscriber_id, r.email,
                deferred_until=local_hour(now, lst.timezone, r.timezone) if lst.local_time else None,
            )
            for r in chunk
        ]  # fmt: skip
        insert_deliveries(conn, edition_id, rows)
        total += len(chunk)
    return total


def _begin(engine: Engine, settings: Settings, edition_id: int) -> Edition:
    """Create the rows on the first run; on a later run check the send may go on."""
    with engine.begin() as conn:
        edition = load_edition(conn, edition_id)
        if edition is None:
            raise NotFound(f"no edition #{edition_id}")
        if edition.status in SENDABLE and begin_sending(conn, edition_id, SENDABLE):
            # only the caller whose update moved the edition to 'sending' creates the rows
            _create_rows(conn, edition, settings.get_list(edition.list_id))
            analyze_deliveries(conn)
            start_send(conn, edition_id)
            edition.status = EditionStatus.SENDING
            return edition
        edition = load_edition(conn, edition_id)  # another process may have started it meanwhile
        assert edition is not None  # it was there a moment ago, in this transaction
        if edition.status == EditionStatus.SENT:
            return edition
        if edition.status != EditionStatus.SENDING:
            hint = (
                f": approve it first (digest editions approve {edition_id})"
                if edition.status == EditionStatus.DRAFT
                else ""
            )
            raise Conflict(
                f"edition #{edition_id} is {edition.status}; only {', '.join(SENDABLE)} can be sent{hint}"
            )
        send = load_send(conn, edition_id)
        if send is None:
            start_send(conn, edition_id)
            return edition
        if send.state == SendState.PAUSED:
            raise Conflict(
                f"the send of edition #{edition_id} is paused: `digest editions resume {edition_id}`"
            )
        cutoff = timedelta(hours=settings.delivery.resume_cutoff_hours)
        if datetime.now(UTC) - send.started_at > cutoff:
            raise Conflict(
                f"edition #{edition_id} started sending at {send.started_at:%Y-%m-%d %H:%M} UTC, more than "
                f"{settings.delivery.resume_cutoff_hours:g} h ago: it is not resumed, so no stale digest goes out. "
                f"Cancel it with `digest editions cancel {edition_id}`, or raise delivery.resume_cutoff_hours."
            )
    return edition


def send_edition(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    backend: Backend,
    links: Links,
    progress: Callable[[Progress], None] | None = None,
) -> SendReport:
    edition = _begin(engine, settings, edition_id)
    done = edition.status == EditionStatus.SENT
    report = SendReport(
        edition_id, 0, 0, {}, edition.status, state=SendState.DONE if done else SendState.RUNNING
    )
    if edition.status == EditionStatus.SENDING and settings.execution == "celery":
        _hand_to_workers(engine, settings, edition_id, report, progress)
    elif edition.status == EditionStatus.SENDING:
        lease = Lease(
            engine,
            send_lease_name(edition_id),
            SEND_LEASE_SECONDS,
            purpose=f"the send of edition #{edition_id}",
        )
        with lease:
            _run(engine, settings, edition, backend, links, lease, report, progress)
    with engine.begin() as conn:
        report.counts = delivery_counts(conn, edition_id)
        report.recipients = sum(report.counts.values())
        if report.counts.get(DeliveryStatus.DEFERRED):
            report.next_retry = next_deferred(conn, edition_id)
    return report


def _hand_to_workers(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    report: SendReport,
    progress: Callable[[Progress], None] | None,
) -> None:
    """execution: celery: the workers send the batches (digest.deliver.workers); with `progress`,
    follow them until they are done."""
    queued = enqueue_batches(engine, settings, edition_id)
    report.notes.append(
        f"{queued} batch(es) queued for the workers (`digest worker`)"
        if queued
        else "the workers are already sending it"
    )
    if progress:
        follow(engine, settings, edition_id, progress)
    with engine.connect() as conn:
        send = load_send(conn, edition_id)
    if send is not None:
        report.state = send.state
        if send.state == SendState.DONE:
            report.status = EditionStatus.SENT


def _run(
    engine: Engine,
    settings: Settings,
    edition: Edition,
    backend: Backend,
    links: Links,
    lease: Lease,
    report: SendReport,
    progress: Callable[[Progress], None] | None,
) -> None:
    """Claim a batch, hand it to the backend, record the outcome; repeat.

    Up to `delivery.in_flight` batches are with the backend at once, each in a worker thread; while
    they are, the next one is read and personalized. A batch is claimed only when a place is free, so
    at most that many batches are ever `sending`. When the send stops (done, paused, shutting down,
    an error), every batch in flight is waited for and its outcome recorded first.
    """
    delivery = settings.delivery
    edition_id = edition.id
    assert edition_id is not None  # a stored edition
    lst = settings.get_list(edition.list_id)
    with engine.begin() as conn:
        report.interrupted_now = recover_in_flight(conn, edition_id)
        counts = delivery_counts(conn, edition_id)
    if report.interrupted_now:
        report.notes.append(
            f"{report.interrupted_now} message(s) were in flight when an earlier run stopped; they are sent "
            "again and may arrive twice (see `digest editions show`)"
        )
    content = render_copies(edition, lst, settings.template_folders(lst), links)
    throttle = Throttle(delivery.throttle)
    size = throttle.largest_batch(delivery.batch_size)
    state = Progress(sum(counts.values()), counts)
    started, handed = time.monotonic(), 0

    def prepare() -> list[Outgoing]:
        with engine.connect() as conn:
            rows = next_batch(conn, edition_id, size)
        return [outgoing_of(content, row, lst, links) for row in rows]

    def settle(batch: list[Outgoing], in_flight: Future[list[Result]]) -> None:
        """Record what became of a batch handed to the backend."""
        nonlocal handed
        marked, accepted, outcomes = record(engine, delivery, lst, edition_id, batch, in_flight.result, backend.name)
        _move(state.counts, DeliveryStatus.SENDING, DeliveryStatus.SENT, marked)
        _move(state.counts, DeliveryStatus.SENDING, DeliveryStatus.CANCELED, accepted - marked)  # erased
        for o in outcomes:
            _move(state.counts, DeliveryStatus.SENDING, o.status, 1)
        report.sent_now += marked
        handed += len(batch)
        state.rate = report.rate = handed / max(time.monotonic() - started, 1e-6)
        if progress:
            progress(state)

    def land() -> None:
        """Wait for every batch still in flight and record it; the first error goes on up after."""
        error: Exception | None = None
        while flying:
            try:
                settle(*flying.popleft())
            except Exception as exc:
                error = error or exc
        if error:
            raise error

    places, waited = delivery.in_flight, 0.0
    flying: deque[tuple[list[Outgoing], Future[list[Result]]]] = deque()
    upcoming = prepare()
    with ThreadPoolExecutor(max_workers=places, thread_name_prefix="digest-send") as workers:
        try:
            while True:
                if SHUTTING_DOWN.is_set():
                    report.notes.append(
                        "stopped after the batches in flight: the process is shutting down; it resumes on start"
                    )
                    return
                if upcoming:  # wait for the throttle before claiming: a claimed row is on its way out at once
                    throttle.acquire(len(upcoming))
                with engine.begin() as conn:
                    lease.hold(conn)
                    send = load_send(conn, edition_id)
                    assert send is not None  # _begin made sure the send has its row
                    report.state = send.state
                    if report.state != SendState.RUNNING:
                        return
                    claimed = claim(conn, [row_id(o) for o in upcoming])
                batch = [o for o in upcoming if row_id(o) in claimed]
                if not upcoming:
                    if flying:  # a batch in flight may come back deferred: see to it before deciding
                        settle(*flying.popleft())
                        upcoming = prepare()
                        continue
                    wait = _deferred_wait(engine, edition_id, delivery.wait_for_deferred - waited)
                    if wait is None:
                        break
                    wait = min(wait, 5.0)  # short naps: a pause or cancel is noticed at the next look
                    time.sleep(wait)
                    waited += wait
                    upcoming = prepare()
                    continue
                _count_claimed(engine, edition_id, state, len(batch))
                flying.append((batch, workers.submit(backend.send, batch)))
                upcoming = prepare()  # while the batches are with the backend
                while len(flying) >= places:
                    settle(*flying.popleft())
        finally:
            land()  # whatever stopped the send: no batch handed over is left unrecorded
    if finish_if_done(engine, settings, edition_id):
        report.status, report.state = EditionStatus.SENT, SendState.DONE


def _count_claimed(engine: Engine, edition_id: int, state: Progress, n: int) -> None:
    if state.counts.get(DeliveryStatus.DEFERRED):  # some of the batch may have come from the deferred rows
        with engine.connect() as conn:
            state.counts = delivery_counts(conn, edition_id)
    else:
        _move(state.counts, DeliveryStatus.PENDING, DeliveryStatus.SENDING, n)


def _move(counts: dict[str, int], source: str, target: str, n: int) -> None:
    counts[source] = counts.get(source, 0) - n
    counts[target] = counts.get(target, 0) + n


def _deferred_wait(engine: Engine, edition_id: int, budget: float) -> float | None:
    """Seconds until the next deferred row is due, if that is within this run's patience."""
    with engine.connect() as conn:
        due = next_deferred(conn, edition_id)
    if due is None:
        return None
    wait = max(0.0, (due - datetime.now(UTC)).total_seconds()) + 0.01
    return wait if wait <= budget else None


