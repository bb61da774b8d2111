"""The pipeline's tables. The subscriber tables belong to the `subscribers` package.

Ids that leave the database are never handed out again (`sqlite_autoincrement`; PostgreSQL's
sequences never reuse one): editions (review links, archive URLs), deliveries (SendGrid's
custom_args, by which events come back; Message-IDs; outbox file names) and articles (the
editors' change log, replayed on every rebuild, names them).
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from digest.store.types import UTCDateTime
from subscribers import tables as sub

metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("location", Text, nullable=False),
    Column("etag", String(500)),
    Column("last_modified", String(100)),
    Column("last_success_at", UTCDateTime()),
    Column("last_error", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("item_count", Integer, nullable=False, default=0),
    Column("last_attempt_at", UTCDateTime()),
    Column("next_attempt_at", UTCDateTime()),  # back-off after repeated failures
    # 0015: a source added in the browser (digest.ingest.catalog): its definition (config.Source's
    # fields but the name) and whether it is read; NULL for config.yaml's sources, recorded only
    Column("definition", JSON),
    Column("enabled", Boolean, nullable=False, default=True, server_default=true()),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("guid", String(1000), nullable=False),
    Column("url", Text),
    Column("title", Text, nullable=False),
    Column("language", String(8)),
    Column("byline", Text),
    Column("standfirst", Text),
    Column("caption", Text),
    Column("dateline", Text),
    Column("body", Text, nullable=False),  # paragraphs separated by a blank line
    Column("html", Text),  # sanitized
    Column("published_at", UTCDateTime()),
    Column("fetched_at", UTCDateTime(), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("canonical_url", Text),  # tracking parameters and fragment dropped; rel=canonical honoured
    Column("published_guessed", Boolean, nullable=False, default=False),  # published_at is the fetch time
    Column("image_url", Text),  # the lead image, absolute
    Column("image_alt", Text),
    Column("image_width", Integer),  # added by 0009: the size the page or feed gives, in pixels
    Column("image_height", Integer),
    Column("tags", JSON),
    Column("entry_hash", String(64)),  # the feed entry as received: unchanged means no page refetch
    Column("sketch", LargeBinary),  # MinHash signature of the text, for story linking
    Column("story_id", Integer),  # the id of the story's first article; syndicated copies share it
    UniqueConstraint("source_id", "guid", name="uq_articles_source_guid"),
    Index("ix_articles_published", "published_at"),
    Index("ix_articles_canonical_url", "canonical_url"),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_fetched", "fetched_at"),
    sqlite_autoincrement=True,
)

editions = Table(
    "editions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", String(64), ForeignKey(sub.lists.c.id, ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("subject", Text, nullable=False),
    Column("intro", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    Column("scheduled_for", UTCDateTime()),  # when a scheduled edition goes out
    # 0016: sent to this segment's confirmed members instead of the whole list (NULL: the whole list)
    Column("segment_id", Integer, ForeignKey(sub.segments.c.id, name="fk_editions_segment", ondelete="SET NULL")),
    Index("ix_editions_list_status", "list_id", "status"),
    sqlite_autoincrement=True,
)

edition_items = Table(
    "edition_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", Integer, ForeignKey("editions.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("url", Text),
    Column("source", String(200), nullable=False),
    Column("language", String(8)),
    Column("byline", Text),
    Column("lede", Text, nullable=False),
    Column("quotes", JSON, nullable=False),  # [{"text", "speaker", "cue", "paraphrase"}]
    Column("words", Integer),  # the article's length, for its reading time
    Column("also", JSON),  # [{"source", "url"}]: the story's other sources
    Column("caption", Text),  # added by 0008, with the lead image: what the email shows of it
    Column("image_url", Text),
    Column("image_alt", Text),
    Column("image_width", Integer),
    Column("image_height", Integer),
    UniqueConstraint("edition_id", "article_id", name="uq_edition_items_article"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", Integer, ForeignKey("editions.id", ondelete="CASCADE"), nullable=False),
    Column("subscriber_id", Integer, ForeignKey(sub.subscribers.c.id, ondelete="SET NULL")),
    Column("email", String(320), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("message_id", String(300)),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("deferred_until", UTCDateTime()),  # added by 0003
    Column("interrupted", Boolean, nullable=False, default=False),  # added by 0003
    Column("claimed_by", String(200)),  # added by 0017: the worker sending it (execution: celery)
    Column("claimed_until", UTCDateTime()),  # added by 0017: after this, a 'sending' row is sent again
    UniqueConstraint("edition_id", "email", name="uq_deliveries_edition_email"),
    Index("ix_deliveries_claim", "edition_id", "status", "id"),  # added by 0003; the only one on status since 0018
    Index("ix_deliveries_subscriber", "subscriber_id"),  # added by 0006: erasure finds a person's rows
    sqlite_autoincrement=True,
)

# An edition's send as a whole (migration 0005). Who sends it is a lease ("send:<edition id>", in
# `leases`, since 0008). deliveries also gained: deferred_until (when a deferred row may be tried
# again) and interrupted (the row was in flight when a send was killed: it may have gone out twice).
edition_sends = Table(
    "edition_sends",
    metadata,
    Column("edition_id", Integer, ForeignKey("editions.id", ondelete="CASCADE"), primary_key=True),
    Column("state", String(16), nullable=False),  # running, paused, canceled, done
    Column("started_at", UTCDateTime(), nullable=False),
    Column("interrupted", Integer, nullable=False, default=0),  # rows found in flight after a crash
    Column("active_at", UTCDateTime()),  # added by 0017: a worker's last claim, or the last enqueueing
)

delivery_events = Table(
    "delivery_events",
    metadata,
    # SendGrid's sg_event_id: a repeated post of the same event changes nothing
    Column("event_id", String(100), primary_key=True),
    Column("provider", String(16), nullable=False),
    Column("event", String(32), nullable=False),
    Column("edition_id", Integer, ForeignKey("editions.id", ondelete="CASCADE")),
    Column("delivery_id", Integer, ForeignKey("deliveries.id", ondelete="SET NULL")),
    Column("reason", Text),
    Column("at", UTCDateTime(), nullable=False),
    # added by 0019: what a click or an open was about, and whether a person or a machine made it
    Column("item_id", Integer),  # the edition item (story) clicked
    Column("url", Text),  # the link clicked
    # a privacy proxy's or a security scanner's fetch (Apple Mail Privacy Protection, link checkers)
    Column("machine", Boolean, nullable=False, default=False, server_default=false()),
    Index("ix_delivery_events_edition", "edition_id", "event"),
    Index("ix_delivery_events_delivery", "delivery_id"),  # 0012: a subscriber's page shows each delivery's events
    Index("ix_delivery_events_edition_at", "edition_id", "at", "event_id"),  # 0014: the API's pages of events
    Index("ix_delivery_events_kind_at", "event", "at", "event_id"),  # 0015: the bounces page, newest first
)

# An edition whose complaint or bounce rate went over its limit, mailed to its list's publishers:
# one row per edition and kind ("complaints", "bounces"), so the alert is mailed once (0020).
edition_alerts = Table(
    "edition_alerts",
    metadata,
    Column("edition_id", Integer, ForeignKey("editions.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("rate", Float, nullable=False),
    Column("mailed_at", UTCDateTime(), nullable=False),
)

# Every editor's (and the scheduler's) action on an edition: who, when, what. Curation is replayed
# from this log when a draft is rebuilt, so a rebuild keeps the editor's changes.
edition_changes = Table(
    "edition_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", Integer, ForeignKey("editions.id", ondelete="CASCADE"), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("op", String(32), nullable=False),
    Column("args", JSON, nullable=False),
    Index("ix_edition_changes_edition", "edition_id"),
)

# One row per scheduled slot of a list: a second firing of the same slot (a DST repeat, a restart,
# a second process) finds it and only finishes what is unfinished.
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", String(64), ForeignKey(sub.lists.c.id, ondelete="CASCADE"), nullable=False),
    Column("slot", String(32), nullable=False),  # the slot's local wall-clock time, YYYY-MM-DDTHH:MM
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime()),
    Column("edition_id", Integer, ForeignKey("editions.id", ondelete="SET NULL")),
    Column("outcome", Text),
    UniqueConstraint("list_id", "slot", name="uq_runs_list_slot"),
)

# Who may do a thing that only one process may do at a time: run the scheduler ("scheduler"), send
# an edition ("send:<edition id>"). One holder each, renewed while alive, taken over when expired.
# A sending limit's state, shared by every worker (migration 0017; digest.deliver.throttle).
throttles = Table(
    "throttles",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("state", JSON, nullable=False),
)

leases = Table(
    "leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

# The newsroom's users (digest.accounts). A user's id goes into audit entries and sessions, so it
# is never handed out again.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False, unique=True),  # lower-cased: one person per address
    Column("name", String(200), nullable=False),
    Column("password_hash", Text),  # Argon2id; None until an invited user sets one
    Column("role", String(16), nullable=False),
    Column("lists", JSON),  # the list ids the user may act on; None: every list
    Column("active", Boolean, nullable=False, default=True),
    Column("totp_secret", Text),  # encrypted with a key derived from DIGEST_SECRET_KEY
    Column("totp_enabled_at", UTCDateTime()),
    Column("totp_last_step", Integer),  # the last time step a code was accepted for: no code works twice
    Column("totp_required", Boolean, nullable=False, default=False),
    Column("recovery_codes", JSON),  # sha256 of each unused code
    Column("created_at", UTCDateTime(), nullable=False),
    Column("password_changed_at", UTCDateTime()),
    sqlite_autoincrement=True,
)

# A signed-in browser, by the sha256 of its cookie: deleting the row signs it out.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("second_factor_done", Boolean, nullable=False, default=False),
    Column("client", String(64)),
    Index("ix_sessions_user", "user_id"),
)

# Failed sign-ins, keyed by the hash of the account or of the client's address: the throttle counts them.
signin_failures = Table(
    "signin_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_signin_failures_key_at", "key", "at"),
)

# Who did what, when: every sign-in, curation change, approval, send, pause (digest.accounts.audit).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("actor", String(400), nullable=False),
    Column("action", String(64), nullable=False),
    Column("object_type", String(32)),
    Column("object_id", String(64)),
    Column("details", JSON, nullable=False),
    Column("client", String(64)),
    Index("ix_audit_at", "at"),
    Index("ix_audit_user", "user_id"),
    Index("ix_audit_object", "object_type", "object_id"),
    sqlite_autoincrement=True,
)

# API tokens (digest.accounts.tokens): only the sha256 of each token is kept; a revoked one stays, refused.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("scopes", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(400), nullable=False),
    Column("revoked_at", UTCDateTime()),
    Column("last_used_at", UTCDateTime()),
    sqlite_autoincrement=True,
)

# The JSON API's answers by Idempotency-Key (digest.accounts.idempotency): one row per token and key, its
# status None while the first request runs; kept a day, in the database so that every serving process sees it.
api_answers = Table(
    "api_answers",
    metadata,
    Column("token_id", Integer, ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer),
    Column("answer", JSON),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_api_answers_created", "created_at"),
)

# Background jobs (digest.jobs): the admin console's imports and bulk actions, claimed by one process at a
# time; a job whose process died (no heartbeat) is queued again and run from the start (handlers are idempotent).
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("params", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer),
    Column("summary", JSON),
    Column("error", Text),
    Column("attempts", Integer, nullable=False),
    Column("actor", String(400), nullable=False),  # who started it, as the audit log names them
    Column("user_id", Integer),  # ... and their users.id when a signed-in user did
    Column("claimed_by", String(200)),  # the process running it, "host:pid"
    Column("created_at", UTCDateTime(), nullable=False),
    Column("started_at", UTCDateTime()),
    Column("heartbeat_at", UTCDateTime()),
    Column("finished_at", UTCDateTime()),
    Index("ix_jobs_status", "status", "id"),
    Index("ix_jobs_kind", "kind", "id"),
    sqlite_autoincrement=True,
)
