"""What the JSON API answers, as pydantic models: the OpenAPI document is made from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from digest.editions.curate import CURATION_OPS
from digest.web.problems import MEDIA_TYPE, Problem

T = TypeVar("T")
Op = Literal[CURATION_OPS]  # type: ignore[valid-type]


class Page(BaseModel, Generic[T]):
    data: list[T]
    next: str | None = Field(description="the cursor of the page after this one; null on the last page")


class ListOut(BaseModel):
    id: str
    name: str
    description: str
    language: str
    public: bool
    double_opt_in: bool
    members: dict[str, int] = Field(description="members by status (counted at most a minute ago)")


class MembershipOut(BaseModel):
    list_id: str
    status: str
    status_changed_at: datetime | None
    created_at: datetime | None


class SubscriberOut(BaseModel):
    id: int
    email: str
    name: str | None
    language: str | None
    timezone: str | None
    created_at: datetime
    attributes: dict[str, str]
    memberships: list[MembershipOut]


class ConsentOut(BaseModel):
    list_id: str
    status: str
    method: str
    origin: str | None
    wording: str | None
    at: datetime


class EventOut(BaseModel):
    event: str = Field(description="what the provider reported: delivered, open, click, bounce, complaint...")
    at: datetime
    reason: str | None


class DeliveryOut(BaseModel):
    edition_id: int
    subject: str
    list_id: str
    status: str
    updated_at: datetime
    error: str | None
    events: list[EventOut]


class EditionDeliveryOut(BaseModel):
    id: int
    subscriber_id: int | None = Field(description="null once the subscriber was erased")
    email: str = Field(description="`erased:<id>` once the subscriber was erased")
    status: str = Field(description="pending, sending, sent, failed, deferred or canceled")
    attempts: int
    error: str | None
    updated_at: datetime
    interrupted: bool = Field(description="in flight when a send was killed: it may have gone out twice")


class EditionEventOut(BaseModel):
    event_id: str
    provider: str
    event: str = Field(description="what the provider reported: delivered, open, click, bounce, complaint...")
    delivery_id: int | None
    reason: str | None
    at: datetime


class SubscriberDetail(SubscriberOut):
    consent: list[ConsentOut]
    suppressed: bool
    deliveries: list[DeliveryOut] = Field(description="every edition they were sent (or are to be), newest first")


class SubscribeIn(BaseModel):
    list_id: str = Field(min_length=1, max_length=64)
    email: str = Field(min_length=1, max_length=320)
    name: str | None = Field(None, max_length=200)
    language: str | None = Field(None, max_length=16)
    timezone: str | None = Field(None, max_length=64)
    consent: str | None = Field(None, max_length=500, description="where consent comes from: confirmed at once")


class SubscribeOut(BaseModel):
    outcome: str = Field(description="confirmed, confirmation_needed, already_confirmed or suppressed")
    subscriber_id: int | None
    email: str


class QuoteOut(BaseModel):
    text: str
    speaker: str | None
    paraphrase: bool


class ItemOut(BaseModel):
    article_id: int | None
    title: str
    lede: str
    quotes: list[QuoteOut]
    url: str | None
    source: str
    language: str | None


class EditionOut(BaseModel):
    id: int
    list_id: str
    subject: str
    status: str
    intro: str | None
    created_at: datetime | None
    scheduled_for: datetime | None
    sent_at: datetime | None
    deliveries: dict[str, int] = Field(description="its delivery rows by status")


class EditionDetail(EditionOut):
    items: list[ItemOut]
    events: dict[str, int] = Field(description="the providers' events on its mail, by type")
    changes: int = Field(description="entries in the change log: give it as `seen` to be told of others' changes")


class ChangeIn(BaseModel):
    """One curation change, as the board makes them: `article_id` for pin, exclude, restore, move,
    lede, quote, quote_text, paraphrase; `position` for move; `text` for lede, quote_text, subject,
    intro; `index` for quote (null: no quote); `speaker` for quote_text; `on` for paraphrase; `url` for add."""

    op: Op
    article_id: int | None = Field(None, ge=1, le=2**31 - 1)
    position: int | None = Field(None, ge=1, le=1000)
    text: str | None = Field(None, max_length=20_000)
    index: int | None = Field(None, ge=0, le=1000)
    speaker: str | None = Field(None, max_length=300)
    on: bool | None = None
    url: str | None = Field(None, max_length=2_000)
    seen: int | None = Field(None, ge=0, le=2**31 - 1, description="the last change-log entry you saw")


class SourceOut(BaseModel):
    name: str
    kind: str
    recorded: bool
    configured: bool
    last_success_at: datetime | None
    last_error: str | None
    failures: int
    next_attempt_at: datetime | None
    item_count: int
    articles: int


def _problem(description: str, header: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"description": description, "model": Problem, "content": {MEDIA_TYPE: {}}}
    if header:
        found["headers"] = {header: {"schema": {"type": "string"}, "description": HEADERS[header]}}
    return found


HEADERS = {"WWW-Authenticate": "Bearer", "Retry-After": "seconds until the token's window starts again"}


ERRORS: dict[int | str, dict[str, Any]] = {
    401: _problem("no API token, or an unknown or revoked one", "WWW-Authenticate"),
    403: _problem("the token lacks the scope"),
    404: _problem("no such object"),
    409: _problem("a conflict: the state does not allow it now"),
    422: _problem("the request is not valid"),
    429: _problem("too many requests with this token: see Retry-After", "Retry-After"),
}


class RejectedOut(BaseModel):
    row: int = Field(description="the file's row number (1 is the header)")
    field: str
    reason: str
    value: str


class ImportOut(BaseModel):
    id: int
    status: str = Field(description="the job's status: queued, running, done or failed")
    list_id: str
    file: str
    done: int = Field(description="rows read so far")
    total: int | None = Field(description="rows to read (an estimate: the file's lines)")
    summary: dict[str, int] | None = Field(description="rows, imported, merged, suppressed, rejected...")
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    rejected: list[RejectedOut] = Field(description="the first 100 rejected rows, once it is done")
