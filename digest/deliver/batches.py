"""A batch of a send: its messages made from the rows, and what became of it once the backend had
it. The one local sender (digest.deliver.send) and the many workers (digest.deliver.workers) share it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from digest.config import DeliverySettings, ListSettings, Settings
from digest.deliver import alerts
from digest.deliver.backends import Result
from digest.deliver.message import Outgoing, delivery_key, message_id, message_id_parts, of_list
from digest.deliver.readers import tracking_of
from digest.domain import SETTLED, DeliveryStatus, Edition, EditionStatus, SendState
from digest.errors import BackendError
from digest.links import Links
from digest.render import MessageTemplate, render_edition
from digest.store.deliveries import (
    BatchRow,
    Outcome,
    defer_unsettled,
    finish_deliveries,
    has_unfinished,
    mark_sent,
    release_deliveries,
)
from digest.store.editions import set_edition_status
from digest.store.sends import load_send, set_send_state

FAILED_FOR = {
    "retry": DeliveryStatus.DEFERRED,
    "failed": DeliveryStatus.FAILED,
}  # backend result -> row status


@dataclass
class Progress:
    """Where a send stands; `rate` is messages handed over per second in this run."""

    total: int
    counts: dict[str, int]
    rate: float = 0.0

    @property
    def done(self) -> int:
        return sum(self.counts.get(s, 0) for s in SETTLED)


def record(
    engine: Engine,
    delivery: DeliverySettings,
    lst: ListSettings,
    edition_id: int,
    batch: list[Outgoing],
    results: Callable[[], list[Result]],
    backend_name: str,
) -> tuple[int, int, list[Outcome]]:
    """Record what became of a batch handed to the backend, whose answer `results` gives (or raises):
    (rows marked sent, rows accepted, the other outcomes). A BackendError (nothing went out) puts the
    rows back; any other error defers them, flagged, since part of the batch may have gone out."""
    try:
        answer = results()
    except BackendError:
        with engine.begin() as conn:
            release_deliveries(conn, [row_id(o) for o in batch])
        raise
    except Exception as exc:
        reason = f"{backend_name}: unexpected {type(exc).__name__}: {exc}"
        retry_at = datetime.now(UTC) + timedelta(seconds=delivery.retry.defer_seconds)
        with engine.begin() as conn:
            defer_unsettled(conn, edition_id, [row_id(o) for o in batch], reason, retry_at)
        raise
    accepted, outcomes = _outcomes(batch, answer, delivery.retry.defer_seconds)
    with engine.begin() as conn:
        marked = mark_sent(conn, accepted, message_id_parts(edition_id, lst.from_address))
        finish_deliveries(conn, outcomes)
    return marked, len(accepted), outcomes


def finish_if_done(engine: Engine, settings: Settings, edition_id: int) -> bool:
    """A running send is done once none of its rows is left to send: True when it is (now or before).
    A paused or canceled one is left as it is. The send that finishes it mails the alerts its rates
    make due (rows refused at the send are bounces before any event comes)."""
    with engine.begin() as conn:
        send = load_send(conn, edition_id)
        if send is not None and send.state == SendState.DONE:
            return True
        if send is None or send.state != SendState.RUNNING or has_unfinished(conn, edition_id):
            return False
        set_edition_status(conn, edition_id, EditionStatus.SENT)
        set_send_state(conn, edition_id, SendState.DONE)
    alerts.check_editions(engine, settings, [edition_id])
    return True


def row_id(message: Outgoing) -> int:
    assert message.delivery_id is not None  # a send hands over delivery rows' messages only
    return message.delivery_id


def _outcomes(
    outgoing: list[Outgoing], results: list[Result], defer_seconds: float
) -> tuple[list[int], list[Outcome]]:
    """(accepted ids, the other outcomes); a row the backend said nothing about is deferred, never lost."""
    by_key = {r.key: r for r in results}
    default_retry = datetime.now(UTC) + timedelta(seconds=defer_seconds)
    accepted: list[int] = []
    others: list[Outcome] = []
    for message in outgoing:
        result = by_key.get(message.key) or Result(message.key, "retry", "no result from the backend")
        if result.status == "accepted":
            accepted.append(row_id(message))
            continue
        status = FAILED_FOR[result.status]
        deferred = (result.retry_at or default_retry) if status == DeliveryStatus.DEFERRED else None
        others.append(Outcome(row_id(message), status, result.reason, message.message_id, deferred))
    return accepted, others


@dataclass(frozen=True)
class Copies:
    """An edition rendered as its recipients get it: `tracked` (the list tracks clicks or opens) for
    the readers who let us, `plain` (links straight to the articles, no pixel) for the others."""

    plain: MessageTemplate
    tracked: MessageTemplate | None = None

    def of(self, row: BatchRow) -> MessageTemplate:
        return self.tracked if self.tracked is not None and row.tracking else self.plain


def render_copies(edition: Edition, lst: ListSettings, folders: Sequence[Path], links: Links) -> Copies:
    """Render the edition once, or twice when the list tracks: each copy whole, never half-tracked,
    and both showing the same stories (when the size budget holds some back, the same ones)."""
    plain = render_edition(edition, lst, folders)
    tracking = tracking_of(edition, lst, links)
    if tracking is None:
        return Copies(plain)
    tracked = render_edition(edition, lst, folders, tracking=tracking, most=len(edition.items) - plain.held_back)
    if tracked.held_back > plain.held_back:  # the tracked copy is the larger: both show what it can
        plain = render_edition(edition, lst, folders, most=len(edition.items) - tracked.held_back)
    return Copies(plain, tracked)


def outgoing_of(copies: Copies, row: BatchRow, lst: ListSettings, links: Links) -> Outgoing:
    delivery, name = row.delivery, row.name
    assert delivery.id is not None  # a stored row
    unsubscribe = links.unsubscribe(delivery.subscriber_id, lst.id, row.nonce)
    content = copies.of(row)
    return of_list(
        lst,
        key=delivery_key(delivery.id),
        delivery_id=delivery.id,
        edition_id=delivery.edition_id,
        to_email=delivery.email,
        to_name=name,
        content=content,
        values={
            "name": name or delivery.email.split("@")[0],
            "unsubscribe_url": unsubscribe,
            "preferences_url": links.preferences(delivery.subscriber_id, row.nonce),
            "archive_url": links.archive(delivery.edition_id),
            "reader": links.reader(delivery.edition_id, delivery.id) if content is copies.tracked else "",
        },
        unsubscribe_url=unsubscribe,
        message_id=message_id(delivery.edition_id, delivery.id, lst.from_address),
    )
