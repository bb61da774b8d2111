"""/api/v1 lists and subscribers: the console's search (digest.audience.console) with its filters and
keyset cursors, a subscriber with their memberships, and subscribing someone as `digest subscribers
add` does (digest.audience.joining), with Idempotency-Key."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from digest.audience import console, joining
from digest.web.bearer import current_token
from digest.web.deps import SiteDep
from digest.web.idempotency import HEADER, response
from digest.web.policy import API
from digest.web.routes.api.models import (
    ERRORS,
    ConsentOut,
    DeliveryOut,
    EventOut,
    ListOut,
    MembershipOut,
    Page,
    SubscribeIn,
    SubscribeOut,
    SubscriberDetail,
    SubscriberOut,
)
from subscribers.search import Row

ORIGIN = "api"
MAX_ID = 2**31 - 1
Text = Annotated[str, Query(max_length=320)]
router = APIRouter(responses=ERRORS)


@router.get(API + "/lists", response_model=Page[ListOut], tags=["lists"])
def lists(site: SiteDep) -> Page[ListOut]:
    """Every list with its members by status (one page: there are few lists)."""
    counts = console.counts(site.audience).lists
    data = [
        ListOut(id=lst.id, name=lst.name, description=lst.description, language=lst.language, public=lst.public,
                double_opt_in=lst.double_opt_in, members={str(s): n for s, n in counts.get(lst.id, {}).items()})
        for lst in console.lists(site.audience)
    ]  # fmt: skip
    return Page(data=data, next=None)


def _subscriber(row: Row) -> SubscriberOut:
    return SubscriberOut(
        id=row.id, email=row.email, name=row.name, language=row.language, timezone=row.timezone,
        created_at=row.created_at, attributes=row.attributes,
        memberships=[MembershipOut(list_id=m.list_id, status=str(m.status), status_changed_at=m.status_changed_at,
                                   created_at=m.created_at) for m in row.memberships],
    )  # fmt: skip


@router.get(API + "/subscribers", response_model=Page[SubscriberOut], tags=["subscribers"])
def subscribers(
    site: SiteDep,
    prefix: Annotated[str, Query(max_length=320, description="the address starts with this")] = "",
    name: Annotated[str, Query(max_length=320, description="the name starts with this")] = "",
    status: Annotated[list[str] | None, Query(max_length=16, description="one of these statuses")] = None,
    list_id: Annotated[str, Query(max_length=64)] = "",
    language: Annotated[str, Query(max_length=16)] = "",
    timezone: Annotated[str, Query(max_length=64)] = "",
    joined_from: Annotated[str, Query(max_length=32, description="YYYY-MM-DD")] = "",
    joined_to: Annotated[str, Query(max_length=32, description="YYYY-MM-DD")] = "",
    cursor: Annotated[str, Query(max_length=2000, description="`next` of the page before")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[SubscriberOut]:
    """The console's search, a page at a time by keyset: the same filters, the same order."""
    query = console.query_of(prefix=prefix, name=name, statuses=[s for s in status or [] if s], list_id=list_id,
                             language=language, timezone=timezone, joined_from=joined_from, joined_to=joined_to)  # fmt: skip
    shown = console.table(site.audience, query, cursor or None, limit)
    return Page(data=[_subscriber(r) for r in shown.page.rows], next=shown.next_cursor)


@router.get(API + "/subscribers/{subscriber_id}", response_model=SubscriberDetail, tags=["subscribers"])
def subscriber(site: SiteDep, subscriber_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> SubscriberDetail:
    """One subscriber with every membership and their consent history."""
    sub = console.subscriber_page(site.audience, subscriber_id)
    return SubscriberDetail(
        id=sub.id, email=sub.email, name=sub.name, language=sub.language, timezone=sub.timezone,
        created_at=sub.created_at, attributes=sub.attributes,
        memberships=[MembershipOut(list_id=m["list"], status=m["status"], status_changed_at=m["status_changed_at"],
                                   created_at=m["created_at"]) for m in sub.memberships],
        consent=[ConsentOut(list_id=c.list_id, status=c.status, method=c.method, origin=c.origin, wording=c.wording,
                            at=c.at) for c in sub.consent],
        suppressed=sub.suppression is not None,
        deliveries=[DeliveryOut(edition_id=d.edition_id, subject=d.subject, list_id=d.list_id, status=str(d.status),
                                updated_at=d.updated_at, error=d.error,
                                events=[EventOut(event=e, at=at, reason=why) for e, at, why in d.events])
                    for d in sub.sent],
    )  # fmt: skip


@router.post(API + "/subscribers", response_model=SubscribeOut, tags=["subscribers"])
def subscribe(
    site: SiteDep,
    request: Request,
    given: SubscribeIn,
    idempotency_key: Annotated[str | None, Header(alias=HEADER, max_length=200)] = None,
) -> JSONResponse:
    """Subscribe someone to a list, as `digest subscribers add` does: with `consent`, a confirmed
    member at once; without, a double opt-in list mails them its confirmation link."""

    def do() -> tuple[int, Any]:
        done = joining.add(site.audience, given.list_id, given.email, name=given.name, language=given.language,
                           timezone=given.timezone, consent=given.consent, origin=ORIGIN)  # fmt: skip
        sub = done.subscriber
        out = SubscribeOut(outcome=done.outcome.value, subscriber_id=sub.id if sub else None,
                           email=sub.email if sub else given.email)  # fmt: skip
        return 200, out.model_dump(mode="json")

    return response(site.answers.once(current_token(request).id, idempotency_key, given.model_dump(), do))
