"""/api/v1 an edition's deliveries and provider events (digest.deliver.records): what its send did,
row by row, and what the provider reported, a page at a time by cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from digest.deliver import records
from digest.domain import DeliveryStatus
from digest.web.deps import SiteDep
from digest.web.policy import API
from digest.web.routes.api.models import ERRORS, EditionDeliveryOut, EditionEventOut, Page

EditionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Cursor = Annotated[str, Query(max_length=400, description="`next` of the page before")]
Limit = Annotated[int, Query(ge=1, le=1000)]
router = APIRouter(responses=ERRORS)


@router.get(
    API + "/editions/{edition_id}/deliveries", response_model=Page[EditionDeliveryOut], tags=["deliveries"]
)
def deliveries(site: SiteDep, edition_id: EditionId, status: Annotated[DeliveryStatus | None, Query()] = None,
               cursor: Cursor = "", limit: Limit = 100) -> Page[EditionDeliveryOut]:  # fmt: skip
    """The edition's delivery rows in id order (of one status): one per recipient, as its send left it."""
    rows, after = records.deliveries(site.engine, edition_id, status, cursor, limit)
    return Page(data=[EditionDeliveryOut(**vars(r)) for r in rows], next=after)


@router.get(API + "/editions/{edition_id}/events", response_model=Page[EditionEventOut], tags=["events"])
def events(site: SiteDep, edition_id: EditionId, event: Annotated[str, Query(max_length=32)] = "",
           cursor: Cursor = "", limit: Limit = 100) -> Page[EditionEventOut]:  # fmt: skip
    """The provider's events for the edition in the order they happened (of one kind: `delivered`,
    `open`, `click`, `bounce`, ...), each once however often the provider posted it."""
    rows, after = records.events(site.engine, edition_id, event or None, cursor, limit)
    return Page(data=[EditionEventOut(**vars(r)) for r in rows], next=after)
