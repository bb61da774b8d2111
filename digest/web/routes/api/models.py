"""What the JSON API answers, as pydantic models: the OpenAPI document is made from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

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


class ListIn(BaseModel):
    """A list made outside config.yaml (as `digest lists create` makes one)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=64, description="lower-case letters, digits, - and _")
    name: str = Field(min_length=1, max_length=200)
    from_address: str = Field(min_length=1, max_length=320)
    from_name: str = Field(max_length=200)
    description: str = Field("", max_length=2000)
    reply_to: str | None = Field(None, max_length=320)
    language: str = Field("en", max_length=16)
    double_opt_in: bool = True
    public: bool = False


class ListPatch(BaseModel):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=200)
    from_address: str | None = Field(None, min_length=1, max_length=320)
    from_name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=2000)
    reply_to: str | None = Field(None, max_length=320, description="null: none")
    language: str | None = Field(None, max_length=16)
    double_opt_in: bool | None = None
    public: bool | None = None


class SearchIn(BaseModel):
    """A search of one list's members: the subscribers table's filters (GET /api/v1/subscribers)."""

    model_config = ConfigDict(extra="forbid")
    list_id: str = Field(min_length=1, max_length=64)
    prefix: str = Field("", max_length=320, description="the address starts with this")
    name: str = Field("", max_length=320, description="the name starts with this")
    statuses: list[str] = Field(default_factory=list, max_length=5, description="one of these statuses")
    language: str = Field("", max_length=16)
    timezone: str = Field("", max_length=64)
    joined_from: str = Field("", max_length=32, description="YYYY-MM-DD")
    joined_to: str = Field("", max_length=32, description="YYYY-MM-DD")


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    query: SearchIn


class SegmentOut(BaseModel):
    id: int
    list_id: str
    name: str
    query: dict[str, str] = Field(description="the search's filters given, as text (statuses comma-separated)")
    created_at: datetime
    created_by: str
    confirmed: int = Field(description="the confirmed members it finds, counted at most a minute ago")
    more: bool = Field(description="more confirmed members than `confirmed` (counting stops there)")


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
    segment_id: int | None = Field(description="sent to this segment's confirmed members; null: the whole list")
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
    configured: bool = Field(description="declared in config.yaml (read-only here)")
    added: bool = Field(False, description="added through the console or the API (stored in the database)")
    enabled: bool = True
    url: str | None = None
    lists: list[str] = Field(default_factory=list, description="for an added source: the lists it feeds too")
    last_success_at: datetime | None
    last_error: str | None
    failures: int
    next_attempt_at: datetime | None
    item_count: int
    articles: int


class SourceIn(BaseModel):
    """A source added through the API: a feed or a page read over HTTP (other kinds are config.yaml's)."""

    name: str = Field(min_length=1, max_length=200)
    kind: Literal["feed", "page"]
    url: str = Field(min_length=1, max_length=2000, description="http:// or https://")
    language: str | None = Field(None, max_length=16)
    weight: float = Field(1.0, ge=0, le=10)
    full_text: bool = False
    tags: list[str] = Field(default_factory=list, max_length=50)
    lists: list[str] = Field(
        default_factory=list, max_length=50, description="the lists that name their sources it feeds"
    )


class SourceChange(BaseModel):
    """What to change of an added source; what is left out stays. Its name stays."""

    kind: Literal["feed", "page"] | None = None
    url: str | None = Field(None, min_length=1, max_length=2000)
    language: str | None = Field(None, max_length=16)
    weight: float | None = Field(None, ge=0, le=10)
    full_text: bool | None = None
    tags: list[str] | None = Field(None, max_length=50)
    lists: list[str] | None = Field(None, max_length=50)
    enabled: bool | None = None


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


class FigureOut(BaseModel):
    count: int = Field(description="recipients (deliveries), each counted once")
    rate: float | None = Field(description="count / its denominator (`of`), 0 to 1; null when that is zero")
    of: Literal["sent", "delivered"] | None = Field(description="the denominator; null for `sent` itself")


class FiguresOut(BaseModel):
    """Bounces are a share of `sent`, the rest of `delivered`; a machine is a privacy proxy or a link scanner."""

    sent: FigureOut = Field(description="settled by the send: delivered + bounced")
    delivered: FigureOut = Field(description="accepted by the backend and not bounced since")
    bounced: FigureOut = Field(description="refused for good: at the send, or after (a hard bounce, a drop)")
    complaints: FigureOut
    unsubscribes: FigureOut = Field(description="left the list by the mail's link, the preferences page or the "
                                                "provider, from this send on until the list's next one")  # fmt: skip
    opens: FigureOut = Field(description="recipients a person opened it for (a click counts as an open)")
    machine_opens: FigureOut
    clicks: FigureOut = Field(description="recipients who clicked (unique clicks)")
    machine_clicks: FigureOut
    total_clicks: int = Field(description="every click by a person")
    total_machine_clicks: int


class ClicksOut(BaseModel):
    clicks: int = Field(description="every click by a person")
    unique: int = Field(description="recipients who clicked")
    machine: int
    unique_machine: int


class LinkOut(BaseModel):
    url: str | None
    clicks: ClicksOut


class StoryOut(BaseModel):
    rank: int = Field(description="1 is the most clicked (unique clicks, then clicks, then its place)")
    item_id: int | None = Field(description="the edition item; null: links of no story (the intro, the footer)")
    position: int | None
    title: str | None
    source: str | None
    clicks: ClicksOut
    rate: float | None = Field(description="unique clicks / delivered")
    links: list[LinkOut]


class HourOut(BaseModel):
    hour: int = Field(description="hours since the send started, from 0")
    at: datetime
    opens: int = Field(description="open events by people in the hour")
    clicks: int = Field(description="click events by people in the hour")
    machine: int = Field(description="open and click events by machines in the hour")


class EditionReportOut(BaseModel):
    edition_id: int
    list_id: str
    subject: str
    status: str
    started_at: datetime | None = Field(description="when its send started; null before")
    figures: FiguresOut
    stories: list[StoryOut]
    timeline: list[HourOut] = Field(description="the first 48 hours after the send started; empty before")


class TrendRowOut(BaseModel):
    edition_id: int
    subject: str
    started_at: datetime | None
    figures: FiguresOut


class TrendOut(BaseModel):
    list_id: str
    editions: list[TrendRowOut] = Field(description="its last editions sent (or sending), oldest first")
