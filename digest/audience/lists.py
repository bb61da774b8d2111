"""The mailing lists: one, all with their members by status, and a list made outside config.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from digest.audience.service import Audience
from subscribers.models import MailingList, MembershipStatus, new_list
from subscribers.service import all_lists, create_list, member_counts, require_list


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


def create(aud: Audience, list_id: str, name: str, **fields: Any) -> MailingList:
    """A list made outside config.yaml: subscribers.models.new_list checks its fields (InvalidValue),
    and an id already taken is a Conflict."""
    lst = new_list(list_id, name, **fields)
    with aud.engine.begin() as conn:
        create_list(conn, lst)
    return lst


def _summary(aud: Audience, conn: Connection, lst: MailingList) -> ListSummary:
    return ListSummary(lst, member_counts(conn, lst.id), f"{aud.settings.base_url}/subscribe/{lst.id}")
