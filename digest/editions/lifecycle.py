"""The edition lifecycle: draft -> approved -> (scheduled) -> sending -> sent, or canceled."""

from __future__ import annotations

from digest.domain import EditionStatus
from digest.errors import Conflict

DRAFT, APPROVED, SCHEDULED = EditionStatus.DRAFT, EditionStatus.APPROVED, EditionStatus.SCHEDULED
SENDING, SENT, CANCELED = EditionStatus.SENDING, EditionStatus.SENT, EditionStatus.CANCELED

NEXT: dict[EditionStatus, frozenset[EditionStatus]] = {
    DRAFT: frozenset({APPROVED, CANCELED}),
    APPROVED: frozenset({DRAFT, SCHEDULED, SENDING, CANCELED}),
    SCHEDULED: frozenset({DRAFT, APPROVED, SENDING, CANCELED}),
    SENDING: frozenset({SENT, CANCELED}),
    SENT: frozenset(),
    CANCELED: frozenset(),
}
EDITABLE = (DRAFT, APPROVED, SCHEDULED)  # an edit sends an approved or scheduled edition back to draft
OPEN = EDITABLE  # what the scheduler looks at: to send when due, or to settle at a review deadline
PUBLIC = (SENDING, SENT)  # in the web archive from the first copy on: its first readers hold the link


def check(edition_id: int, current: EditionStatus, target: EditionStatus) -> None:
    if target not in NEXT[current]:
        allowed = ", ".join(sorted(NEXT[current])) or "nothing: it is final"
        raise Conflict(f"edition #{edition_id} is {current}; it can become {allowed}, not {target}")
