"""config.yaml -> typed, validated settings. Secrets come only from the environment."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from digest.errors import ConfigError
from subscribers.models import Language, MailingList, known_time_zone

DEFAULT_CONFIG = "config.yaml"
BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # they ship beside the code
SECRET_KEY_ENV = "DIGEST_SECRET_KEY"
SENDGRID_KEY_ENV = "SENDGRID_API_KEY"
SMTP_PASSWORD_ENV = "DIGEST_SMTP_PASSWORD"
SENDGRID_WEBHOOK_KEY_ENV = "SENDGRID_WEBHOOK_PUBLIC_KEY"
BROKER_URL_ENV = "DIGEST_BROKER_URL"
IMAP_PASSWORD_ENV = "DIGEST_IMAP_PASSWORD"
LOCAL_TIME_SPAN_HOURS = 27  # time zones span 26 hours (UTC-12 to UTC+14), plus an hour of margin


def _cron(value: str) -> str:
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(value)
    except ValueError as exc:
        raise ValueError(f"not a cron expression ({exc})") from None
    return value


def _timezone(value: str) -> str:
    if not known_time_zone(value):
        raise ValueError(f"unknown time zone {value!r}")
    return value


Cron = Annotated[str, AfterValidator(_cron)]
TimeZone = Annotated[str, AfterValidator(_timezone)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A place articles come from. `feed` reads RSS 0.9x/1.0/2.0, Atom and JSON Feed (`rss` is an alias
    kept for older configs); `page` is a single article URL; `folder` is local article files."""

    name: str = Field(min_length=1)
    kind: Literal["feed", "rss", "page", "folder"]
    path: str | None = None
    url: str | None = None
    language: Language | None = None
    weight: float = Field(1.0, ge=0, le=10, description="how much selection favours this source")
    full_text: bool = Field(False, description="fetch the page of items whose feed carries only a summary")
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _location(self) -> Source:
        if self.kind == "folder" and not self.path:
            raise ValueError("a folder source needs a path")
        if self.kind in ("feed", "rss") and not (self.url or self.path):
            raise ValueError(f"a {self.kind} source needs a url or a path")
        if self.kind == "page" and not self.url:
            raise ValueError("a page source needs a url")
        if self.url and not self.url.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return self


def _database_url(value: str | None) -> str | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if value is None:
        return value
    try:
        backend = make_url(value).get_backend_name()
    except (ArgumentError, ValueError):
        raise ValueError("not a database URL; write e.g. postgresql+psycopg://user@host/db") from None
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"{backend} is not supported: use PostgreSQL (postgresql+psycopg://...) or SQLite")
    return value


def _https_url(value: str | None) -> str | None:
    if value is not None and not value.startswith("https://"):
        raise ValueError("must be an absolute https URL (mail clients fetch it)")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]


BRAND_INK = "#ffffff"  # the text on a list's brand colour
MIN_CONTRAST = 4.5  # WCAG 2.2 AA, normal text


class Theme(Strict):
    """How a list's mail looks; templates read these, so a designer changes looks without code."""

    brand_color: str = Field("#1d4e89", pattern=r"^#[0-9a-fA-F]{6}$")
    logo_url: HttpsUrl | None = None
    logo_width: int = Field(120, ge=16, le=600)
    font_family: str = "Georgia, 'Times New Roman', serif"
    fonts: dict[str, HttpsUrl] = Field(
        default_factory=dict, description="web font name -> CSS URL; empty keeps mail free of external CSS"
    )

    @field_validator("brand_color")
    @classmethod
    def _readable(cls, value: str) -> str:
        """White text sits on the brand colour (the mail's header and buttons, the pages' bands), and
        the colour is the links' on white: WCAG AA asks 4.5:1 of both, which are one ratio."""
        from coloraide import Color  # on demand: a tenth of a second to import, for this check alone

        ratio = Color(value).contrast(BRAND_INK, method="wcag21")
        if ratio < MIN_CONTRAST:
            raise ValueError(
                f"white text on it has a contrast of {ratio:.2f}:1, below WCAG AA's {MIN_CONTRAST}:1: pick a darker colour"
            )
        return value


class ReviewSettings(Strict):
    """A reviewed list: the scheduler builds a draft, mails its editors a preview, and sends once approved."""

    editors: list[EmailStr] = Field(min_length=1)
    deadline_hours: float = Field(4, gt=0, le=168)
    at_deadline: Literal["send", "skip"] = "skip"


class SelectionSettings(Strict):
    """What readers clicked in the list's last editions (digest.editions.interest), weighing selection."""

    learn: bool = Field(
        False,
        description="weigh each source by its readers' click-through against the list's (bounded: x0.5 to x2)",
    )
    editions: int = Field(10, ge=1, le=100, description="how many of the last sent editions count")


class TrackingSettings(Strict):
    """Our own tracking of what readers do with an edition (digest.deliver.readers): off unless a list
    turns it on, and never for a reader who opted out on their preferences page."""

    clicks: bool = Field(
        False, description="story links go through a signed redirect (/c/...) that records the click"
    )
    opens: bool = Field(False, description="the mail carries a 1x1 pixel (/o/....gif) that records the open")
    machine_seconds: float = Field(
        10,
        ge=0,
        le=3600,
        description="a click or an open this soon after the message was sent is a machine's "
        "(a security scanner, Apple Mail Privacy Protection), counted apart from people",
    )


class ListSettings(MailingList):
    """A list of config.yaml: a MailingList (what the subscriber side keeps of it, mirrored into its
    tables on start) with the pipeline's settings. Declared here, its sender is a required, valid
    address, and it is public unless it says otherwise."""

    from_address: EmailStr
    from_name: str
    reply_to: EmailStr | None = None
    public: bool = Field(
        True, description="offered on every subscriber's preferences page (false: only to its members)"
    )
    postal_address: str = ""
    schedule: Cron = "0 7 * * 1"
    timezone: TimeZone = "UTC"
    max_items: int = Field(10, ge=1, le=100)
    lede_words: int = Field(60, ge=10, le=400)
    quotes_per_item: int = Field(1, ge=0, le=5)
    sources: list[str] = Field(default_factory=list, description="source names; empty means all")
    templates: str | None = Field(
        None, description="a template folder of its own, searched before the default"
    )
    theme: Theme = Theme()
    subject: str = Field(
        "{list}: {top}", description="pattern of the default subject: {list}, {top}, {date}, {count}"
    )
    window_days: int = Field(7, ge=1, le=3650, description="first edition: articles of the last N days")
    per_source: int = Field(5, ge=1, le=100, description="at most this many items from one source")
    tags: list[str] = Field(
        default_factory=list, description="only articles with one of these tags; empty: all"
    )
    languages: list[Language] = Field(default_factory=list, description="only articles in these; empty: all")
    review: ReviewSettings | None = None
    selection: SelectionSettings = SelectionSettings()
    seed_addresses: list[EmailStr] = Field(
        default_factory=list,
        max_length=50,
        description="who gets every test send of the list's editions, besides the editor",
    )
    local_time: bool = Field(False, description="send at the list's hour in each subscriber's own time zone")
    images: bool = Field(
        False,
        description="show each item's lead image (loaded from the publisher's server when the mail is read)",
    )
    tracking: TrackingSettings = TrackingSettings()

    @field_validator("subject")
    @classmethod
    def _subject_pattern(cls, value: str) -> str:
        try:
            value.format(list="", top="", date="", count=0)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"unknown placeholder or bad braces ({exc}); use {{list}}, {{top}}, {{date}}, {{count}}"
            ) from None
        return value


class SmtpSettings(Strict):
    host: str = "127.0.0.1"
    port: int = 25
    username: str | None = None
    security: Literal["none", "starttls", "tls"] = "starttls"
    timeout: float = 30.0
    pool_size: int = Field(4, ge=1, le=64, description="connections used in parallel")
    messages_per_connection: int = Field(100, ge=1, description="reconnect after this many messages")


class ImapSettings(Strict):
    """The mailbox `digest bounces fetch` reads bounce and complaint reports from."""

    host: str | None = Field(None, description="the IMAP server; unset: `digest bounces fetch` has nothing to read")
    port: int | None = Field(None, ge=1, le=65535, description="993 with security tls, 143 otherwise")
    username: str | None = None  # the password comes from DIGEST_IMAP_PASSWORD
    security: Literal["none", "starttls", "tls"] = "tls"
    folder: str = "INBOX"
    processed: Literal["seen", "delete"] = Field(
        "seen", description="what becomes of a message once read: marked seen, or deleted (and expunged)"
    )
    timeout: float = 30.0


class BounceSettings(Strict):
    """Bounces and complaints of SMTP (and file) mail: where reports come back, and how they are read."""

    address: EmailStr | None = Field(
        None,
        description="the envelope sender (Return-Path) of every message the smtp and file backends send; "
        "delivery status notifications and complaint reports come back to it. `digest bounces serve` "
        "takes mail for this address only",
    )
    imap: ImapSettings = ImapSettings()


class SendGridSettings(Strict):
    api_host: HttpUrl = HttpUrl("https://api.sendgrid.com")
    sandbox: bool = False
    timeout: float = 30.0


class ThrottleSettings(Strict):
    """Limits a provider or relay imposes: a rate and a sliding window (e.g. 10,000 an hour)."""

    per_second: float | None = Field(None, gt=0)
    window_limit: int | None = Field(None, ge=1)
    window_seconds: float = Field(3600, gt=0)


class RetrySettings(Strict):
    """Transient errors (5xx, timeouts, dropped connections) are retried this many times, with
    exponential back-off and jitter, before the rows are deferred for `defer_seconds`."""

    attempts: int = Field(4, ge=1, le=20)
    base_delay: float = Field(1.0, ge=0)
    max_delay: float = Field(60.0, ge=0)
    defer_seconds: float = Field(600, ge=0)
    max_rate_limit_wait: float = Field(300, ge=0, description="longest wait for X-RateLimit-Reset")


class DeliverySettings(Strict):
    backend: Literal["file", "smtp", "sendgrid", "console"] = "file"
    outbox: str = "outbox"
    batch_size: int = Field(500, ge=1, le=1000)
    in_flight: int = Field(
        1,
        ge=1,
        le=32,
        description="batches with the backend at once: more hide a distant provider's latency; after a "
        "kill -9, as many batches may arrive twice (with smtp, each batch opens its own pool of connections)",
    )
    smtp: SmtpSettings = SmtpSettings()
    sendgrid: SendGridSettings = SendGridSettings()
    bounces: BounceSettings = BounceSettings()
    throttle: ThrottleSettings = ThrottleSettings()
    retry: RetrySettings = RetrySettings()
    resume_cutoff_hours: float = Field(
        24, gt=0, description="refuse to resume a send started longer ago than this"
    )
    wait_for_deferred: float = Field(
        120, ge=0, description="seconds `digest send` waits for deferred rows before it stops"
    )
    claim_seconds: float = Field(
        900,
        ge=1,
        description="execution: celery: a batch a worker claimed and did not settle within this is sent "
        "again (the worker died); longer than a batch's retries can take",
    )


class SchedulerSettings(Strict):
    lease_seconds: float = Field(
        30, ge=1, le=600, description="a stopped scheduler's lease passes on after this"
    )


class Settings(Strict):
    database_url: Annotated[str | None, AfterValidator(_database_url)] = None
    public_url: HttpUrl
    data_dir: str = "var"
    templates: str | None = None  # a folder of your own; the templates that ship with digest otherwise
    sources: list[Source] = Field(default_factory=list)
    lists: list[ListSettings] = Field(default_factory=list)
    execution: Literal["local", "celery"] = Field(
        "local",
        description="local: `digest serve` does the work itself; celery: it enqueues ingest per source and "
        "sending per batch for `digest worker` processes (PostgreSQL only; the broker from DIGEST_BROKER_URL)",
    )
    delivery: DeliverySettings = DeliverySettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    fetch_private_addresses: bool = Field(
        False,
        description="let editors add pages by URL, and the checks before sending ask links, on loopback, "
        "private and link-local addresses (off: only public addresses are asked, so the server cannot be "
        "made to read the internal network; a mail's link to a private address fails its check)",
    )
    base_dir: Path = Path(".")

    @field_validator("public_url")
    @classmethod
    def _https(cls, value: HttpUrl) -> HttpUrl:
        if value.scheme != "https" and value.host not in ("localhost", "127.0.0.1"):
            raise ValueError("must be an https URL (links in mail must be absolute https)")
        return value

    @model_validator(mode="after")
    def _references(self) -> Settings:
        """What no single key can check: names that must be unique or must exist. Each problem is a
        line of its own that starts with its key path."""
        names = [s.name for s in self.sources]
        problems = [
            f"sources[{i}].name: {names[i]!r} is already the name of sources[{first}]"
            for first, i in _repeats(names)
        ]
        problems += [
            f"lists[{i}].id: {self.lists[i].id!r} is already the id of lists[{first}]"
            for first, i in _repeats([lst.id for lst in self.lists])
        ]
        local = [lst.id for lst in self.lists if lst.local_time]
        if local and self.delivery.resume_cutoff_hours < LOCAL_TIME_SPAN_HOURS:
            problems.append(
                f"delivery.resume_cutoff_hours: list(s) {', '.join(local)} send at each subscriber's local hour, "
                f"which spreads a send over up to 26 h; set it to at least {LOCAL_TIME_SPAN_HOURS} "
                f"(got {self.delivery.resume_cutoff_hours:g})"
            )
        for i, lst in enumerate(self.lists):
            problems += [
                f"lists[{i}].sources: no source named {name!r}" for name in lst.sources if name not in names
            ]
        if self.execution == "celery" and self.db_url.startswith("sqlite"):
            problems.append(
                "execution: celery needs PostgreSQL (database_url: postgresql+psycopg://...): SQLite is one "
                "process's database, so `execution: local` is its only mode"
            )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    # Paths in the file are relative to the file's folder.
    def path(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.base_dir / p

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.path(self.data_dir) / 'digest.db'}"

    @property
    def base_url(self) -> str:
        return str(self.public_url).rstrip("/")

    def template_folders(self, lst: ListSettings) -> list[Path]:
        """Where a list's templates are looked up: its own folder first, then the default one."""
        own = [self.path(lst.templates)] if lst.templates else []
        return own + [self.path(self.templates) if self.templates else BUILTIN_TEMPLATES]

    def list_settings(self, lst: MailingList) -> ListSettings:
        """A list's pipeline settings: its own entry in config.yaml, or, for a list made at the command
        line, the pipeline's defaults. The one place such a list gets them."""
        if isinstance(lst, ListSettings):
            return lst
        declared = next((x for x in self.lists if x.id == lst.id), None)
        return declared or ListSettings.model_validate(lst.model_dump())

    def get_list(self, list_id: str) -> ListSettings:
        for lst in self.lists:
            if lst.id == list_id:
                return lst
        raise ConfigError(f"no list with id {list_id!r} (known: {', '.join(x.id for x in self.lists)})")

    def get_source(self, name: str) -> Source:
        for src in self.sources:
            if src.name == name:
                return src
        raise ConfigError(f"no source named {name!r} (known: {', '.join(s.name for s in self.sources)})")

    def sources_of(self, lst: ListSettings) -> list[Source]:
        return [s for s in self.sources if not lst.sources or s.name in lst.sources]


def _repeats(values: list[str]) -> list[tuple[int, int]]:
    """(first position, later position) of each value seen before."""
    first: dict[str, int] = {}
    found: list[tuple[int, int]] = []
    for i, value in enumerate(values):
        if value in first:
            found.append((first[value], i))
        else:
            first.setdefault(value, i)
    return found


def _key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith("function-"):
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or os.environ.get("DIGEST_CONFIG") or DEFAULT_CONFIG)


def load(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read and validate a config file; every mistake is named by its key path."""
    file = config_path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file (set --config or DIGEST_CONFIG)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ConfigError(f"{file}: {where}not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: the top level must be a mapping of keys")
    raw.pop("base_dir", None)
    try:
        return Settings(**raw, base_dir=file.resolve().parent)
    except ValidationError as exc:
        lines = [line for err in exc.errors() for line in _mistake(err)]
        raise ConfigError(
            f"{file}: {len(lines)} mistake(s)\n" + "\n".join(f"  {line}" for line in lines)
        ) from None


_CREDENTIALS = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def _mistake(err: ErrorDetails) -> list[str]:
    """One validation error as lines `key.path: what is wrong (got VALUE)`. The value is left out when
    the message already names it, and a password in a URL is never shown."""
    msg = err["msg"].removeprefix("Value error, ")
    if not err["loc"]:  # a check across keys: each line names its own key path
        return msg.splitlines()
    value = err.get("input")
    if err["type"] != "missing" and isinstance(value, str | int | float | bool) and str(value) not in msg:
        shown = _CREDENTIALS.sub(r"\1***@", str(value)) if isinstance(value, str) else value
        shown = repr(shown) if len(repr(shown)) <= 100 else repr(shown)[:96] + "...'"
        msg += f" (got {shown})"
    return [f"{_key_path(err['loc'])}: {msg}"]


def secret(name: str) -> str | None:
    """A secret from the environment; never from the file, never logged."""
    value = os.environ.get(name, "").strip()
    return value or None


SECRETS = (
    (SECRET_KEY_ENV, "signs the links in mail and the sign-in sessions"),
    (SENDGRID_KEY_ENV, "the SendGrid backend's API key"),
    (SMTP_PASSWORD_ENV, "the SMTP relay's password"),
    (SENDGRID_WEBHOOK_KEY_ENV, "checks the signature of SendGrid's event webhook"),
    (IMAP_PASSWORD_ENV, "the bounce mailbox's IMAP password (delivery.bounces.imap)"),
    (BROKER_URL_ENV, "execution: celery: the broker's URL (redis://127.0.0.1:6379/0 when unset)"),
)


def effective(settings: Settings) -> str:
    """The configuration in force, as YAML, for an admin to read: defaults filled in, a password in
    the database URL hidden. Secrets are never in it (they come from the environment only)."""
    data = settings.model_dump(mode="json", exclude={"base_dir"})
    if data.get("database_url"):
        data["database_url"] = _CREDENTIALS.sub(r"\1***@", data["database_url"])
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def secrets_set(in_use: dict[str, bool] | None = None) -> list[tuple[str, str, bool]]:
    """Each secret the environment may give: its name, what it is for, and whether it is set (or,
    for those named in `in_use`, whether the running program was given one another way)."""
    given = in_use or {}
    return [(name, purpose, given.get(name, secret(name) is not None)) for name, purpose in SECRETS]
