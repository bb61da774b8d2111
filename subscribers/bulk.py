"""Bulk actions: one action on every subscriber a search finds (subscribers.search), a batch at a time.

The search is walked by keyset (never OFFSET), a batch of `batch` subscribers at a time, and each
batch costs a handful of set-based statements, never one per subscriber (erasure excepted: it is the
one erasure, subscribers.privacy.erase, per person). The caller's connection is committed after
every batch, so a long action never holds the write lock for long, and an action stopped half-way
and run again does what is left: every action is idempotent (adding someone already on the list,
unsubscribing someone who left, suppressing a suppressed address change nothing).

Every change of a membership is recorded as a consent event, as one by one it would be.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, delete, insert, select, update

from subscribers import batches, search
from subscribers import tables as t
from subscribers.errors import InvalidValue
from subscribers.models import RECEIVING, MembershipStatus, consent_source
from subscribers.privacy import OnErase, erase
from subscribers.search import Query
from subscribers.service import now, require_list
from subscribers.suppression import SYSTEM, suppress_many

T = TypeVar("T")
ERASE_BATCH = 100  # erasure is a handful of statements per person: smaller batches hold the lock briefly
METHOD = "admin"  # the consent events' method, as for an admin's change one by one


class Action(StrEnum):
    ADD = "add"  # add to a list, confirmed on the consent source stated; those who left it stay out
    REMOVE = "remove"  # take off a list (the membership goes; its consent history stays)
    UNSUBSCRIBE = "unsubscribe"  # unsubscribe from a list, or from every list
    SUPPRESS = "suppress"  # never mail the address again (the global suppression list)
    ERASE = "erase"  # forget the person (subscribers.privacy.erase)


NEEDS_LIST = (Action.ADD, Action.REMOVE)


@dataclass
class BulkReport:
    matched: int = 0  # subscribers the search found
    changed: int = 0  # ... that the action changed
    unchanged: int = 0  # ... already so (already on the list, already suppressed, left before, ...)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Plan:
    """An action checked before it runs: on which list (the target of add or remove; for unsubscribe,
    None is every list) and, for add, the consent source stated."""

    action: Action
    list_id: str | None = None
    consent: str | None = None


def plan(conn: Connection, action: str, list_id: str | None = None, consent: str | None = None) -> Plan:
    """Check an action's parameters; InvalidValue names the one that is wrong."""
    try:
        chosen = Action(action)
    except ValueError:
        raise InvalidValue("action", action, f"is not one of {', '.join(a.value for a in Action)}") from None
    if chosen in NEEDS_LIST and not list_id:
        raise InvalidValue(
            "list", "", f"say which list to {chosen.value} them {'to' if chosen is Action.ADD else 'from'}"
        )
    if list_id:
        require_list(conn, list_id)
    if chosen is Action.ADD:
        if not consent:
            raise InvalidValue("consent", "", "say where the consent of the people added comes from")
        consent = consent_source(consent.strip())
    return Plan(chosen, list_id or None, consent if chosen is Action.ADD else None)


def count(conn: Connection, query: Query) -> int:
    """How many subscribers the search finds (one count, for a bulk action's progress)."""
    return search.count(conn, query)


def apply(
    conn: Connection,
    query: Query,
    todo: Plan,
    *,
    on_erase: OnErase[Any] | None,
    origin: str | None = None,
    by: str = SYSTEM,
    progress: Callable[[int], None] | None = None,
    batch: int = 1000,
) -> BulkReport:
    """Do `todo` to everyone the search finds, committing after each batch (of ERASE_BATCH at most for
    an erasure) and leaving other writers their turn (subscribers.batches); `progress` gets the number
    of subscribers done so far. `on_erase` is erasure's hook (subscribers.privacy.erase); `origin` what the consent events name as
    the change's origin ("bulk action 12", also a suppression's note); `by` who asked (a suppression's
    added_by)."""
    report = BulkReport()
    if todo.action is Action.ERASE:
        batch = min(batch, ERASE_BATCH)
    for rows in _batches(search.stream(conn, query, batch), batch):
        began = time.monotonic()
        ids = [r.id for r in rows]
        report.matched += len(ids)
        changed = _act(conn, todo, ids, [r.email for r in rows], on_erase, origin, by)
        report.changed += changed
        report.unchanged += len(ids) - changed
        batches.commit(conn, began)
        if progress:
            progress(report.matched)
    return report


def _batches(rows: Iterator[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _act(
    conn: Connection,
    todo: Plan,
    ids: list[int],
    emails: list[str],
    on_erase: OnErase[Any] | None,
    origin: str | None,
    by: str,
) -> int:
    """Do the action to one batch; how many it changed."""
    if todo.action is Action.SUPPRESS:
        return suppress_many(conn, emails, "manual", note=origin, added_by=by)
    if todo.action is Action.ERASE:
        for email in emails:
            erase(conn, email, on_erase=on_erase)
        return len(emails)
    m = t.memberships
    of_batch = m.c.subscriber_id.in_(ids)
    if todo.action is Action.ADD:
        assert todo.list_id is not None  # plan() checked
        members = set(
            conn.execute(select(m.c.subscriber_id).where(of_batch, m.c.list_id == todo.list_id)).scalars()
        )
        added = [i for i in ids if i not in members]
        _join(conn, added, todo.list_id, todo.consent, origin)
        return len(added)
    on_list = of_batch if todo.list_id is None else and_(of_batch, m.c.list_id == todo.list_id)
    if todo.action is Action.REMOVE:
        return int(conn.execute(delete(m).where(on_list)).rowcount)
    leaving = conn.execute(
        select(m.c.subscriber_id, m.c.list_id).where(on_list, m.c.status.in_(RECEIVING))
    ).all()
    _set(conn, [(r.subscriber_id, r.list_id) for r in leaving], MembershipStatus.UNSUBSCRIBED, origin)
    return len({r.subscriber_id for r in leaving})


def _join(conn: Connection, ids: list[int], list_id: str, consent: str | None, origin: str | None) -> None:
    if not ids:
        return
    at, status = now(), MembershipStatus.CONFIRMED
    conn.execute(insert(t.memberships), [
        {"subscriber_id": i, "list_id": list_id, "status": status, "status_changed_at": at, "created_at": at}
        for i in ids
    ])  # fmt: skip
    _record(conn, [(i, list_id) for i in ids], status, consent, origin, at)


def _set(
    conn: Connection, pairs: list[tuple[int, str]], status: MembershipStatus, origin: str | None
) -> None:
    if not pairs:
        return
    at, m = now(), t.memberships
    for list_id in {lst for _, lst in pairs}:
        ids = [i for i, lst in pairs if lst == list_id]
        conn.execute(
            update(m)
            .where(m.c.list_id == list_id, m.c.subscriber_id.in_(ids))
            .values(status=status, status_changed_at=at)
        )
    _record(conn, pairs, status, None, origin, at)


def _record(conn: Connection, pairs: list[tuple[int, str]], status: MembershipStatus, wording: str | None,
            origin: str | None, at: Any) -> None:  # fmt: skip
    conn.execute(insert(t.consent_events), [
        {"subscriber_id": i, "list_id": lst, "status": status, "method": METHOD, "origin": origin,
         "wording": wording, "at": at}
        for i, lst in pairs
    ])  # fmt: skip
