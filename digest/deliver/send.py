"""Send an edition from its delivery rows.

The rows are created, one per recipient, in the same transaction that moves the edition to
`sending`; after that the send only ever works from the rows: a batch is claimed (pending ->
sending), handed to the backend, and each row becomes `sent` only when the backend accepted it.
A rerun picks up whatever is still pending or was in flight, so nothing is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine

from digest.config import Settings
from digest.deliver.backends import Backend
from digest.deliver.message import Outgoing, message_id
from digest.domain import Delivery
from digest.errors import DigestError
from digest.lease import Lease
from digest.links import Links
from digest.render import personalize, render_edition
from digest.store.editions import (
    claim_batch,
    delivery_counts,
    finish_delivery,
    insert_deliveries,
    load_edition,
    set_edition_status,
)
from subscribers.service import recipients
from subscribers.tables import subscribers as subscriber_rows

SENDABLE = ("approved", "scheduled", "sending")  # a draft must be approved first
OUTCOME = {"accepted": "sent", "retry": "deferred", "failed": "failed"}  # backend result -> row status


class SendError(DigestError):
    pass


class SendBusy(SendError):
    """Another process is sending this edition right now."""


SEND_LEASE_SECONDS = 120  # renewed at every batch; a crashed sender's lease lapses after this


@dataclass
class SendReport:
    edition_id: int
    recipients: int
    sent_now: int
    counts: dict[str, int]
    status: str


def _create_rows(conn, edition_id: int, list_id: str) -> int:
    """One pending row per confirmed, non-suppressed member at this moment, in chunks."""
    total = 0
    stream = recipients(conn, list_id)
    while chunk := list(islice(stream, 1000)):
        insert_deliveries(conn, edition_id, [Delivery(edition_id, r.subscriber_id, r.email) for r in chunk])
        total += len(chunk)
    return total


def send_edition(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    backend: Backend,
    links: Links,
    progress: Callable[[int], None] | None = None,
) -> SendReport:
    """Send (or resume) an edition. One process at a time sends a given edition: it holds the
    edition's send lease, so rows another sender has in flight are never claimed twice."""
    lease = Lease(engine, name=f"send:{edition_id}", ttl=SEND_LEASE_SECONDS)
    if not lease.acquire():
        raise SendBusy(f"edition #{edition_id} is being sent by another process")
    try:
        return _send(engine, settings, edition_id, backend, links, progress, lease)
    finally:
        lease.release()


def _send(engine, settings, edition_id, backend, links, progress, lease) -> SendReport:
    with engine.begin() as conn:
        edition = load_edition(conn, edition_id)
        if edition is None:
            raise SendError(f"no edition #{edition_id}")
        if edition.status not in SENDABLE + ("sent",):
            hint = (
                f": approve it first (digest editions approve {edition_id})"
                if edition.status == "draft"
                else ""
            )
            raise SendError(
                f"edition #{edition_id} is {edition.status}; only {', '.join(SENDABLE)} can be sent{hint}"
            )
        if edition.status != "sending" and edition.status != "sent":
            _create_rows(conn, edition_id, edition.list_id)
            set_edition_status(conn, edition_id, "sending")
            edition.status = "sending"
    lst = settings.get_list(edition.list_id)
    sent_now = 0
    if edition.status == "sending":
        template = render_edition(edition, lst, settings.template_folders(lst))
        while True:
            if not lease.acquire():  # renewed before each batch
                raise SendBusy(f"edition #{edition_id}: the send lease was lost; another process resumes it")
            with engine.begin() as conn:
                batch = claim_batch(conn, edition_id, settings.delivery.batch_size)
                names = _names(conn, [d.subscriber_id for d in batch])
            if not batch:
                break
            outgoing = [
                _outgoing(template, d, names.get(d.subscriber_id), lst, edition_id, links) for d in batch
            ]
            message_ids = {o.delivery_id: o.message_id for o in outgoing}
            results = backend.send(outgoing)
            with engine.begin() as conn:
                for result in results:
                    status = OUTCOME[result.status]
                    finish_delivery(
                        conn,
                        result.delivery_id,
                        status,
                        error=result.reason,
                        message_id=message_ids[result.delivery_id],
                    )
                    sent_now += status == "sent"
            if progress:
                progress(len(batch))
        with engine.begin() as conn:
            counts = delivery_counts(conn, edition_id)
            if not counts.get("pending") and not counts.get("sending") and not counts.get("deferred"):
                set_edition_status(conn, edition_id, "sent")
                edition.status = "sent"
    with engine.begin() as conn:
        counts = delivery_counts(conn, edition_id)
    return SendReport(edition_id, sum(counts.values()), sent_now, counts, edition.status)


def _names(conn, ids: list[int]) -> dict[int, str | None]:
    from sqlalchemy import select

    if not ids:
        return {}
    rows = conn.execute(
        select(subscriber_rows.c.id, subscriber_rows.c.name).where(subscriber_rows.c.id.in_(ids))
    )
    return {r.id: r.name for r in rows}


def _outgoing(template, delivery: Delivery, name: str | None, lst, edition_id: int, links: Links) -> Outgoing:
    unsubscribe = links.unsubscribe(delivery.subscriber_id, lst.id)
    html, text = personalize(
        template,
        {
            "name": name or delivery.email.split("@")[0],
            "unsubscribe_url": unsubscribe,
            "preferences_url": links.preferences(delivery.subscriber_id),
            "archive_url": links.archive(edition_id),
        },
    )
    return Outgoing(
        delivery_id=delivery.id,
        to_email=delivery.email,
        to_name=name,
        from_email=lst.from_address,
        from_name=lst.from_name,
        reply_to=lst.reply_to,
        subject=template.subject,
        html=html,
        text=text,
        unsubscribe_url=unsubscribe,
        list_id=lst.id,
        message_id=message_id(edition_id, delivery.id, lst.from_address),
    )


def outbox_path(settings: Settings) -> Path:
    return settings.path(settings.delivery.outbox)
