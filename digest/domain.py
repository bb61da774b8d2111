"""The domain types every stage shares. Defined once; rows become these only in digest.store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from subscribers.models import Recipient

__all__ = [
    "Article", "Brief", "Change", "Coverage", "Delivery", "DeliveryStatus", "Edition", "EditionStatus", "Image",
    "Quote", "Recipient", "Run", "Send", "SendState",
]  # fmt: skip


@dataclass(frozen=True)
class Image:
    """An article's lead image as its page or feed names it; width and height when it says them."""

    url: str
    alt: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass
class Article:
    """An article as ingested: its structure found, boilerplate dropped, paragraphs in reading order."""

    title: str
    paragraphs: list[str]
    source: str = ""
    url: str | None = None
    guid: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    byline: str | None = None
    standfirst: str | None = None
    caption: str | None = None
    image: Image | None = None
    dateline: str | None = None
    html: str | None = None
    tags: list[str] = field(default_factory=list)
    story_id: int | None = None  # articles of one story (syndicated copies, the same news) share it
    id: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Quote:
    """A direct quotation, without its outer quotation marks, with its speaker as the article names them."""

    text: str
    speaker: str | None = None
    cue: str | None = None


@dataclass(frozen=True)
class Coverage:
    """Another source that carried the same story ("also covered by")."""

    source: str
    url: str | None = None


@dataclass
class Brief:
    """What a digest shows of one article: a lede cut to the word budget and its key quotes."""

    title: str
    lede: str
    quotes: list[Quote] = field(default_factory=list)
    url: str | None = None
    source: str = ""
    language: str | None = None
    byline: str | None = None
    caption: str | None = None
    image: Image | None = None
    article_id: int | None = None
    words: int | None = None  # the whole article's length in words, for its reading time
    also: list[Coverage] = field(default_factory=list)


class EditionStatus(StrEnum):
    """draft -> approved -> (scheduled) -> sending -> sent, or canceled (digest.editions.lifecycle)."""

    DRAFT = "draft"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELED = "canceled"


SENDABLE = (EditionStatus.APPROVED, EditionStatus.SCHEDULED)  # a draft must be approved first


class DeliveryStatus(StrEnum):
    """One recipient's message: pending -> sending -> sent, failed or deferred (then tried again), or
    canceled. A row is `sent` only once the backend accepted it (digest.deliver.send)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEFERRED = "deferred"
    CANCELED = "canceled"


UNFINISHED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DEFERRED)  # an edition is sent when none is
SETTLED = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.CANCELED)


class SendState(StrEnum):
    """An edition's send as a whole: running until done, or paused or canceled by an editor."""

    RUNNING = "running"
    PAUSED = "paused"
    CANCELED = "canceled"
    DONE = "done"


@dataclass
class Edition:
    list_id: str
    subject: str
    items: list[Brief]
    status: EditionStatus = EditionStatus.DRAFT
    intro: str | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None
    scheduled_for: datetime | None = None
    id: int | None = None


@dataclass
class Delivery:
    edition_id: int
    subscriber_id: int
    email: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    error: str | None = None
    attempts: int = 0
    message_id: str | None = None
    deferred_until: datetime | None = None  # not before then (a retry, or the subscriber's local hour)
    id: int | None = None


@dataclass(frozen=True)
class Change:
    """One entry of an edition's change log: who did what, when. Curation is replayed from it."""

    actor: str
    at: datetime
    op: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Send:
    """An edition's send as a whole, from its first run on (its rows are the Deliveries)."""

    edition_id: int
    state: SendState
    started_at: datetime
    interrupted: int = 0  # rows found in flight after a crash, sent again (possible duplicates)


@dataclass(frozen=True)
class Run:
    """One scheduled slot of a list (its local wall-clock time, YYYY-MM-DDTHH:MM) and what came of it."""

    list_id: str
    slot: str
    started_at: datetime
    finished_at: datetime | None = None
    edition_id: int | None = None
    outcome: str | None = None
