"""The domain types every stage shares. Defined once; rows become these only in digest.store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "Actor", "Article", "AuditEntry", "Brief", "Change", "Coverage", "Delivery", "DeliveryStatus", "Edition",
    "EditionStatus", "Image", "Job", "JobStatus", "PERMISSIONS", "Permission", "Quote", "RESOURCES", "Role", "Run", "SCOPES", "Send", "SendState",
    "Session", "User",
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
    paraphrase: bool = (
        False  # an editor's deliberate paraphrase: the quote check lets it differ from the article
    )


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
    # the edition item's row, once stored: what a tracked link names (digest.deliver.readers)
    item_id: int | None = field(default=None, compare=False)


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


UNFINISHED = (
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
    DeliveryStatus.DEFERRED,
)  # an edition is sent when none is
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
    segment_id: int | None = None  # sent to this segment of the list's confirmed members; None: all of them


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
    id: int = 0  # its place in the log: a board shows the log up to an id (what its editor saw)


@dataclass(frozen=True)
class Send:
    """An edition's send as a whole, from its first run on (its rows are the Deliveries)."""

    edition_id: int
    state: SendState
    started_at: datetime
    interrupted: int = 0  # rows found in flight after a crash, sent again (possible duplicates)
    active_at: datetime | None = None  # execution: celery: a worker's last claim, or the last enqueueing


@dataclass(frozen=True)
class Run:
    """One scheduled slot of a list (its local wall-clock time, YYYY-MM-DDTHH:MM) and what came of it."""

    list_id: str
    slot: str
    started_at: datetime
    finished_at: datetime | None = None
    edition_id: int | None = None
    outcome: str | None = None


# --- the newsroom's people (digest.accounts) ---------------------------------------------------------
# A role is a set of permissions, each role containing the one below it: a viewer reads; an editor
# also curates drafts and sends tests; a publisher also approves, schedules, sends, pauses and
# cancels; an admin may do everything, users included. A user may be limited to some lists: a
# permission on a list's editions holds only for those lists.


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    PUBLISHER = "publisher"
    ADMIN = "admin"


class Permission(StrEnum):
    READ = "read"  # see lists, editions, previews, history
    CURATE = "curate"  # change a draft: order, pin, exclude, ledes, quotes, subject, intro, add articles
    TEST_SEND = "test_send"  # send a test to oneself and the list's seed addresses
    APPROVE = "approve"  # approve and schedule an edition
    SEND = "send"  # send now, pause, resume, cancel
    MANAGE_USERS = "manage_users"  # invite, change roles, deactivate, require second factors
    MANAGE_SUBSCRIBERS = "manage_subscribers"  # the console's subscribers: search, export, erase
    MANAGE_SETTINGS = "manage_settings"  # read the configuration in force, test the delivery backend
    MANAGE_LISTS = "manage_lists"  # the console's lists (create, edit those outside config.yaml) and segments
    MANAGE_TOKENS = "manage_tokens"  # create, list and revoke the JSON API's tokens
    MANAGE_SOURCES = "manage_sources"  # add, edit, disable and read now sources (editors see health)


_GRANTS = {
    Role.VIEWER: {Permission.READ},
    Role.EDITOR: {Permission.CURATE, Permission.TEST_SEND},
    Role.PUBLISHER: {Permission.APPROVE, Permission.SEND},
    Role.ADMIN: {
        Permission.MANAGE_USERS,
        Permission.MANAGE_SUBSCRIBERS,
        Permission.MANAGE_SETTINGS,
        Permission.MANAGE_LISTS,
        Permission.MANAGE_SOURCES,
        Permission.MANAGE_TOKENS,
    },
}
ORDER = (Role.VIEWER, Role.EDITOR, Role.PUBLISHER, Role.ADMIN)
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    role: frozenset().union(*(_GRANTS[r] for r in ORDER[: ORDER.index(role) + 1])) for role in ORDER
}


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: Role
    lists: tuple[str, ...] | None = None  # the lists this user may act on; None: every list
    active: bool = True
    second_factor: bool = False  # a TOTP second factor is set up
    second_factor_required: bool = False  # an admin requires one: the user sets it up at next sign-in
    created_at: datetime | None = None

    def may(self, permission: Permission, list_id: str | None = None) -> bool:
        """Whether the user holds the permission, on `list_id` when the action concerns one list."""
        if not self.active or permission not in PERMISSIONS[self.role]:
            return False
        return list_id is None or self.lists is None or list_id in self.lists

    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class Session:
    """A signed-in browser. Stored server-side by the hash of its cookie, so it can be revoked."""

    id: str  # the hash of the cookie's token: the token itself is never stored
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    second_factor_done: bool  # False while the user still has to give their second factor
    client: str | None = None


RESOURCES = ("lists", "segments", "subscribers", "imports", "editions", "sources", "deliveries", "events")
SCOPES = tuple(f"{resource}:{access}" for resource in RESOURCES for access in ("read", "write"))


@dataclass(frozen=True)
class ApiToken:
    """A bearer token of the JSON API (digest.accounts.tokens): its scopes, never its secret."""

    id: int
    name: str
    scopes: tuple[str, ...]  # "<resource>:read" or "<resource>:write"
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str  # who, as they were named then ("Ana <ana@example.org>", "scheduler")
    user_id: int | None
    action: str  # "sign-in", "edition.pin", "edition.approve", "send.pause", ...
    object_type: str | None
    object_id: str | None
    details: dict[str, object]
    client: str | None


@dataclass(frozen=True)
class Actor:
    """Who acts, as the change log and the audit log name them: a signed-in user (with their id and
    address), or a process ("scheduler", "review deadline", a CLI user's login name)."""

    name: str
    user_id: int | None = None
    client: str | None = None  # the browser's address, for a web action

    @classmethod
    def of(cls, user: User, client: str | None = None) -> Actor:
        return cls(user.label, user.id, client)

    @classmethod
    def named(cls, name: str) -> Actor:
        """A process or a CLI user, known by a name only ("scheduler", $DIGEST_EDITOR)."""
        return cls(name)

    def __str__(self) -> str:
        return self.name


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Job:
    """A piece of background work (digest.jobs): an import, a bulk action. `done` of `total` (None while
    unknown) is its progress; `summary` what its handler returned; `error` why it failed."""

    id: int
    kind: str
    params: dict[str, Any]
    status: JobStatus
    done: int
    total: int | None
    summary: dict[str, Any] | None
    error: str | None
    attempts: int
    actor: Actor
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        """0-100 while the total is known; 100 once done."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
