"""The domain types every stage shares. Defined once; rows become these only in digest.store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from subscribers.models import Recipient

__all__ = [
    "Article", "Brief", "Coverage", "Delivery", "DeliveryStatus", "Edition", "EditionStatus", "Image", "Quote",
    "Recipient", "SendState",
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
    """An article as ingested: its structure found, boilerplate dropped, paragraphs in reading order.
    The one carrier from fetch to store and back: what ingest learns about an article is a field here."""

    title: str
    paragraphs: list[str]
    source: str = ""
    url: str | None = None
    canonical_url: str | None = None
    """The URL that names this one article (tracking parameters dropped, rel=canonical honoured), or None
    when the source gives none or only a site root: the same one under another guid is the same article."""
    guid: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    published_guessed: bool = False  # published_at is the fetch time: the source gave no usable date
    byline: str | None = None
    standfirst: str | None = None
    caption: str | None = None
    image: Image | None = None
    dateline: str | None = None
    html: str | None = None  # sanitized
    tags: list[str] = field(default_factory=list)
    entry_hash: str | None = None  # the entry as the source sent it: unchanged means no second look
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
    words: int | None = None  # the whole article's length, for its reading time
    also: list[Coverage] = field(default_factory=list)


class EditionStatus(StrEnum):
    """draft -> approved -> (scheduled) -> sending -> sent, or canceled (digest.editions.lifecycle)."""

    DRAFT = "draft"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELED = "canceled"


class DeliveryStatus(StrEnum):
    """One recipient's message: pending -> sending -> sent, failed or deferred (then tried again), or
    canceled. A row is `sent` only once the backend accepted it (digest.deliver.send)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEFERRED = "deferred"
    CANCELED = "canceled"


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
