"""Saved segments as the console and the API keep them (subscribers.segments): a search of the
subscribers table saved under a name, on one list; an edition of that list may be sent to the
confirmed members it finds (digest.editions.service.choose_segment, digest.deliver.send).

A segment's size is the confirmed members its search finds (who an edition sent to it would go to,
before suppressions), counted by one pass bounded at SIZE_MOST rows and kept SIZE_TTL seconds per
process: a page that lists segments never counts a million rows, and says "more than" above that."""

from __future__ import annotations

from dataclasses import dataclass, replace

from digest.accounts import audit
from digest.audience.kept import Kept
from digest.audience.service import Audience
from digest.domain import Actor
from digest.errors import Conflict, NotFound
from digest.store.editions import unsent_with_segment
from subscribers import search
from subscribers.models import MembershipStatus
from subscribers.search import Query
from subscribers.segments import Segment, all_segments, delete_segment, get_segment, insert_segment
from subscribers.service import require_list

SIZE_MOST = 100_000
SIZE_TTL = 60.0
_sizes: Kept[int] = Kept(SIZE_TTL)


@dataclass(frozen=True)
class Sized:
    segment: Segment
    size: int  # confirmed members it finds, at most SIZE_MOST + 1
    more: bool  # more than SIZE_MOST


def save(aud: Audience, name: str, query: Query, actor: Actor) -> Segment:
    """Save a search of one list as a segment (InvalidValue without a list or a name; Conflict for a
    name taken on that list; NotFound for a list there is not). Audited with its filters."""
    with aud.engine.begin() as conn:
        if query.list_id:
            require_list(conn, query.list_id)
        made = insert_segment(conn, name, query, actor.name)
        audit.record(conn, actor, "segment.create", "segment", made.id,
                     {"name": made.name, "list_id": made.list_id, **query.describe()})  # fmt: skip
    return made


def segment(aud: Audience, segment_id: int) -> Segment:
    with aud.engine.connect() as conn:
        found = get_segment(conn, segment_id)
    if found is None:
        raise NotFound(f"no segment #{segment_id}")
    return found


def segments(aud: Audience, list_id: str | None = None) -> list[Segment]:
    with aud.engine.connect() as conn:
        return all_segments(conn, list_id)


def delete(aud: Audience, segment_id: int, actor: Actor) -> Segment:
    """Delete a segment; Conflict while an edition not yet sent is to go to it (it would go to the
    whole list instead). Editions sent to it keep their deliveries and forget the segment."""
    with aud.engine.begin() as conn:
        found = get_segment(conn, segment_id)
        if found is None:
            raise NotFound(f"no segment #{segment_id}")
        waiting = unsent_with_segment(conn, segment_id)
        if waiting:
            shown = ", ".join(f"#{n}" for n in waiting)
            raise Conflict(
                f"edition {shown} is to be sent to the segment {found.name!r}: choose another audience first"
            )
        delete_segment(conn, segment_id)
        audit.record(
            conn,
            actor,
            "segment.delete",
            "segment",
            segment_id,
            {"name": found.name, "list_id": found.list_id},
        )
    _sizes.forget(aud.engine, segment_id)
    return found


def reach(query: Query) -> Query | None:
    """The search of the confirmed members among those the query finds (None: it finds none)."""
    if query.statuses and MembershipStatus.CONFIRMED not in query.statuses:
        return None
    return replace(query, statuses=(MembershipStatus.CONFIRMED,))


def size(aud: Audience, found: Segment) -> Sized:
    """The segment with its size, counted at most every SIZE_TTL seconds per process."""

    def count() -> int:
        confirmed = reach(found.query)
        if confirmed is None:
            return 0
        with aud.engine.connect() as conn:
            return search.count(conn, confirmed, SIZE_MOST)

    n = _sizes.get(aud.engine, found.id, count)
    return Sized(found, min(n, SIZE_MOST), n > SIZE_MOST)


def sized(aud: Audience, list_id: str | None = None) -> list[Sized]:
    return [size(aud, s) for s in segments(aud, list_id)]
