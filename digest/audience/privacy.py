"""What is held about a person, and erasure: the calls every path makes (the CLI, the web app, the
API); suppressing an address is digest.audience.suppressions'.

The subscriber domain holds the person (subscribers.privacy); the delivery store holds the mail they
were sent. `subscribers` never imports `digest`, so digest adds its part: the deliveries to the export,
and to erasure its on-erase hook, run in the same transaction: their deliveries not yet handed over
are canceled, and every row of theirs keeps its status but no longer their address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from digest.audience.service import Audience
from digest.store.deliveries import deliveries_of, forget_recipient
from subscribers import privacy
from subscribers.addresses import identity, normalize


@dataclass(frozen=True)
class Erasure:
    subscriber_id: int | None  # None: no subscriber had the address (its hash is suppressed all the same)
    canceled: int  # deliveries that will not go out now
    scrubbed: int  # delivery rows that no longer hold the address


def erase_address(aud: Audience, email: str) -> Erasure:
    with aud.engine.begin() as conn:
        return erase(conn, email)


def erase(conn: Connection, email: str) -> Erasure:
    """Erase everything held about the address, in the caller's transaction. Raises InvalidAddress
    for a malformed one."""
    subscriber_id, forgotten = privacy.erase(conn, email, on_erase=forget_recipient)
    canceled, scrubbed = forgotten or (0, 0)
    return Erasure(subscriber_id, canceled, scrubbed)


def export(aud: Audience, email: str) -> dict[str, Any]:
    """Everything held about the address, JSON-ready: the subscriber's details, memberships, consent
    records and suppression (subscribers.privacy.export_address), and the deliveries to them."""
    with aud.engine.connect() as conn:
        data = privacy.export_address(conn, email)
        sub = data["subscriber"]
        data["deliveries"] = [
            {"edition": d.edition_id, "status": d.status.value, "at": d.updated_at.isoformat()}
            for d in deliveries_of(conn, sub["id"] if sub else None, identity(normalize(email)))
        ]
    return data
