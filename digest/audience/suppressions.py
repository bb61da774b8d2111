"""The admin console's suppressions, bounces and complaints: the suppression list a page at a time (of
one reason, or the one row of an address, found by its hash), an admin's entry added or taken off with
a note, audited; and the provider's bounces and complaints, by kind and date, a page at a time.

The audit log names a suppression by its id, never by the address: erasure clears the address from
the suppression row (subscribers.suppression.forget), and the log must not keep it either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from digest.accounts import audit
from digest.audience.service import Audience
from digest.deliver.tracking import EventKind
from digest.domain import Actor
from digest.errors import Conflict
from digest.store.events import ProblemEvent, problem_events
from subscribers import suppression as store
from subscribers.addresses import InvalidAddress, normalize
from subscribers.errors import InvalidValue
from subscribers.suppression import Suppression

PAGE_SIZE = 50
ADDABLE = ("manual", "bounce", "complaint")  # what an admin may give as the reason ("erased" is erasure's)
PROBLEMS = (EventKind.BOUNCED, EventKind.DROPPED, EventKind.COMPLAINED)
NOTE_MAX = 1000


@dataclass(frozen=True)
class SuppressionPage:
    rows: list[Suppression]
    next_before: int | None  # the id the next page starts before; None: this is the last
    searched: str | None = None  # the address looked up (its row, or none)


def page(
    aud: Audience, reason: str | None = None, before: int | None = None, address: str | None = None
) -> SuppressionPage:
    """The suppressions newest first, of one reason or all; or, given an address, its row alone."""
    with aud.engine.connect() as conn:
        if address:
            email = _address(address)
            found = store.suppression_of(conn, email)
            return SuppressionPage([found] if found else [], None, email)
        rows, more = store.suppressions(conn, reason or None, before, PAGE_SIZE)
    return SuppressionPage(rows, rows[-1].id if more and rows else None)


def _address(value: str) -> str:
    try:
        return normalize(value.strip())
    except InvalidAddress as exc:
        raise InvalidValue("address", value, str(exc) or "is not an email address") from None


def _note(value: str | None) -> str | None:
    note = " ".join((value or "").split())
    if len(note) > NOTE_MAX:
        raise InvalidValue("note", note[:40] + "…", f"is longer than {NOTE_MAX} characters")
    return note or None


def add(aud: Audience, address: str, reason: str, note: str | None, actor: Actor) -> Suppression:
    """Suppress an address with a reason and a note, audited (the console and `digest subscribers
    suppress`); Conflict when it already is (its row keeps its first reason)."""
    if reason not in ADDABLE:
        raise InvalidValue("reason", reason, f"is not one of {', '.join(ADDABLE)}")
    email, text = _address(address), _note(note)
    with aud.engine.begin() as conn:
        if not store.suppress(conn, email, reason, note=text, added_by=actor.name):
            raise Conflict(f"{email} is already suppressed")
        found = store.suppression_of(conn, email)
        assert found is not None
        audit.record(
            conn, actor, "suppression.add", "suppression", found.id, {"reason": reason, "note": text}
        )
    return found


def remove(aud: Audience, suppression_id: int, note: str | None, actor: Actor) -> Suppression:
    """Take a suppression off the list with a note (required: why it may be mailed again), audited.
    NotFound when there is none; Conflict for an erased person's."""
    text = _note(note)
    if not text:
        raise InvalidValue("note", "", "say why the address may be mailed again")
    with aud.engine.begin() as conn:
        gone = store.unsuppress(conn, suppression_id)
        details = {"reason": gone.reason, "since": gone.created_at.isoformat(), "note": text}
        audit.record(conn, actor, "suppression.remove", "suppression", suppression_id, details)
    return gone


def get(aud: Audience, suppression_id: int) -> Suppression:
    with aud.engine.connect() as conn:
        return store.get_suppression(conn, suppression_id)


# --- the provider's bounces and complaints -------------------------------------------------------


@dataclass(frozen=True)
class EventPage:
    rows: list[ProblemEvent]
    next_before: tuple[datetime, str] | None  # where the next page starts


def _day(field: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue(field, value, "is not a date (YYYY-MM-DD)") from None


def position(at: str, event_id: str) -> tuple[datetime, str] | None:
    """A page link's position, as its two values; Invalid when altered."""
    if not at:
        return None
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        raise InvalidValue("before", at, "is not a moment of this page's links") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC), event_id


def events(
    aud: Audience,
    kind: str = "",
    since: str = "",
    until: str = "",
    before: tuple[datetime, str] | None = None,
) -> EventPage:
    """Bounces, drops and complaints newest first, of one kind or all, from the day `since` to the day
    `until` (both included, UTC)."""
    if kind and kind not in PROBLEMS:
        raise InvalidValue("kind", kind, f"is not one of {', '.join(PROBLEMS)}")
    kinds = (kind,) if kind else tuple(str(k) for k in PROBLEMS)
    first, last = _day("from", since), _day("to", until)
    start = datetime.combine(first, time(), UTC) if first else None
    end = datetime.combine(last + timedelta(days=1), time(), UTC) if last else None
    with aud.engine.connect() as conn:
        rows, more = problem_events(conn, kinds, since=start, until=end, before=before, size=PAGE_SIZE)
    return EventPage(rows, (rows[-1].at, rows[-1].event_id) if more and rows else None)
