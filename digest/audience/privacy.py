"""Erasing a person: the one call every path makes (the CLI; the web app and the API to come).

The subscriber domain forgets the person (subscribers.privacy.erase) and, in the same transaction,
the delivery store forgets what it holds of them: their deliveries not yet handed over are
canceled, and every row of theirs keeps its status but no longer their address. `subscribers`
never imports `digest`, so digest hands its part in as the erasure's on-erase hook.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from digest.store.deliveries import forget_recipient
from subscribers import privacy


@dataclass(frozen=True)
class Erasure:
    subscriber_id: int | None  # None: no subscriber had the address (its hash is suppressed all the same)
    canceled: int  # deliveries that will not go out now
    scrubbed: int  # delivery rows that no longer hold the address


def erase(conn: Connection, email: str) -> Erasure:
    """Erase everything held about the address. Raises InvalidAddress for a malformed one."""
    subscriber_id, held = privacy.erase(conn, email, on_erase=forget_recipient)
    canceled, scrubbed = held or (0, 0)
    return Erasure(subscriber_id, canceled, scrubbed)
