"""The edition lifecycle: draft -> approved -> scheduled -> sending -> sent, or canceled."""

from __future__ import annotations

from digest.errors import Conflict

NEXT = {
    "draft": {"approved", "canceled"},
    "approved": {"draft", "scheduled", "sending", "canceled"},
    "scheduled": {"draft", "approved", "sending", "canceled"},
    "sending": {"sent", "canceled"},
    "sent": set(),
    "canceled": set(),
}
EDITABLE = ("draft", "approved", "scheduled")  # an edit sends an approved edition back to draft


def check(edition_id: int, current: str, target: str) -> None:
    if target not in NEXT[current]:
        allowed = ", ".join(sorted(NEXT[current])) or "nothing: it is final"
        raise Conflict(f"edition #{edition_id} is {current}; it can become {allowed}, not {target}")
