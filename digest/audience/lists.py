"""The mailing lists: one, all with their members by status, a list made or changed outside
config.yaml (the CLI and the admin console call the same two functions, both audited), and what a
list's page in the console shows: members by status (the console's counts, kept a minute), growth
by week, its segments. A list declared in config.yaml is managed by the file: it is changed there,
never here (Conflict)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection

from digest.accounts import audit
from digest.audience import console, segments
from digest.audience.kept import Kept
from digest.audience.service import Audience
from digest.config import ListSettings
from digest.domain import Actor
from digest.errors import Conflict
from subscribers.growth import by_period
from subscribers.models import MailingList, MembershipStatus, new_list
from subscribers.service import all_lists, create_list, member_counts, require_list, update_list

# What the console's form (and the API) may change of a list made outside config.yaml.
FIELDS = (
    "name",
    "description",
    "from_name",
    "from_address",
    "reply_to",
    "language",
    "double_opt_in",
    "public",
)
WEEKS = 12  # the growth a list's page shows
GROWTH_TTL = 60.0  # seconds a list's growth is kept (as the counts are: digest.audience.console)


@dataclass(frozen=True)
class ListSummary:
    lst: MailingList
    counts: dict[MembershipStatus, int]  # members by status, of the statuses someone has
    subscribe_url: str


def mailing_list(aud: Audience, list_id: str) -> MailingList:
    """The list; NotFound, naming those there are, when there is none."""
    with aud.engine.connect() as conn:
        return require_list(conn, list_id)


def summaries(aud: Audience) -> list[ListSummary]:
    with aud.engine.connect() as conn:
        return [_summary(aud, conn, lst) for lst in all_lists(conn)]


def summary(aud: Audience, list_id: str) -> ListSummary:
    with aud.engine.connect() as conn:
        return _summary(aud, conn, require_list(conn, list_id))


def declared(aud: Audience, list_id: str) -> ListSettings | None:
    """The list's entry in config.yaml, if it has one (its schedule, its templates...)."""
    return next((lst for lst in aud.settings.lists if lst.id == list_id), None)


def create(aud: Audience, list_id: str, name: str, actor: Actor, **fields: Any) -> MailingList:
    """A list made outside config.yaml: subscribers.models.new_list checks its fields (InvalidValue),
    and an id already taken is a Conflict. Audited."""
    lst = new_list(list_id, name, **fields)
    with aud.engine.begin() as conn:
        create_list(conn, lst)
        audit.record(conn, actor, "list.create", "list", lst.id, lst.model_dump())
    return lst


def update(aud: Audience, list_id: str, actor: Actor, **fields: Any) -> MailingList:
    """Change some of a list's FIELDS (checked as `create` checks them); the audit log keeps each
    value before and after. A list of config.yaml is refused (Conflict): the file manages it."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a list field: {', '.join(sorted(unknown))}")  # a caller's mistake
    if declared(aud, list_id) is not None:
        raise Conflict(
            f"the list {list_id!r} is declared in config.yaml: change it there (it is read-only here)"
        )
    with aud.engine.begin() as conn:
        before = require_list(conn, list_id)
        given = {k: before.model_dump()[k] for k in FIELDS} | fields
        lst = new_list(list_id, **given)
        update_list(conn, lst)
        changed = {
            k: [getattr(before, k), getattr(lst, k)] for k in FIELDS if getattr(before, k) != getattr(lst, k)
        }
        audit.record(conn, actor, "list.update", "list", list_id, changed)
    return lst


def _summary(aud: Audience, conn: Connection, lst: MailingList) -> ListSummary:
    return ListSummary(lst, member_counts(conn, lst.id), f"{aud.settings.base_url}/subscribe/{lst.id}")


# --- the console's list page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    start: date  # a Monday (UTC)
    joins: int
    leaves: int


_growth: Kept[list[Week]] = Kept(GROWTH_TTL)


@dataclass(frozen=True)
class ListPage:
    lst: MailingList
    counts: dict[MembershipStatus, int]  # the console's counts (console.counts: at most a minute old)
    counted_at: datetime
    declared: ListSettings | None  # its config.yaml entry: the page is read-only, and shows its schedule
    weeks: list[Week]  # oldest first, this week last
    segments: list[segments.Sized]
    subscribe_url: str


def weeks(aud: Audience, list_id: str, count: int = WEEKS, today: date | None = None) -> list[Week]:
    """The list's joins and leaves in each of the last `count` weeks (Monday to Sunday, UTC), this one
    last; counted at most every GROWTH_TTL seconds per process."""
    today = today or datetime.now(UTC).date()
    return _growth.get(aud.engine, (list_id, count, today), lambda: _weeks(aud, list_id, count, today))


def _weeks(aud: Audience, list_id: str, count: int, today: date) -> list[Week]:
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=count - 1)
    starts = [first + timedelta(weeks=i) for i in range(count + 1)]
    edges = [datetime.combine(day, time(), UTC) for day in starts]
    with aud.engine.connect() as conn:
        found = by_period(conn, list_id, edges)
    return [Week(start, joins, leaves) for start, (joins, leaves) in zip(starts, found, strict=False)]


def page(aud: Audience, list_id: str, today: date | None = None) -> ListPage:
    """What the list's page shows; NotFound for a list there is not."""
    lst = mailing_list(aud, list_id)
    counted = console.counts(aud)
    return ListPage(
        lst=lst,
        counts=counted.lists.get(list_id, {}),
        counted_at=counted.counted_at,
        declared=declared(aud, list_id),
        weeks=weeks(aud, list_id, today=today),
        segments=segments.sized(aud, list_id),
        subscribe_url=f"{aud.settings.base_url}/subscribe/{list_id}",
    )
