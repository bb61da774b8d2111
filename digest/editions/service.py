"""Editions as a service: every operation an editor has (build, curate, approve, schedule, cancel,
pause, resume, send, show, list, preview, status) and the pages readers and editors open (the
archive, the review preview). The CLI, the scheduler and the web app call these and nothing below
them; every action on an edition is recorded, in its own transaction, in the edition's change log
and in the audit log (`edition.<op>`), with who did it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_date
from sqlalchemy import Connection, Engine

from digest import config
from digest.accounts import audit
from digest.config import ListSettings, Settings
from digest.deliver.backends import make_backend
from digest.deliver.batches import Progress
from digest.deliver.control import SendStatus, send_status
from digest.deliver.proofs import ProofResult, send_proofs
from digest.deliver.send import SendReport, send_edition
from digest.domain import SENDABLE, Actor, Article, Brief, Change, Edition, EditionStatus, Run, SendState
from digest.editions import conflicts, lifecycle
from digest.editions.board import SUBMIT, Board, board_of
from digest.editions.calendar import next_run
from digest.editions.checks import SUBJECT_MAX, Check, find_problems, links_of
from digest.editions.curate import CURATION_OPS, check_args, check_quote, compose, fold
from digest.editions.preview import Mail, Preview, as_sent, check_width, rendered, write_preview
from digest.editions.quotecheck import unverified
from digest.editions.select import Picks, candidates, left_out_late
from digest.editions.source import Passage, Source, passage_in, source_of
from digest.errors import ConfigError, Conflict, Invalid, NotFound
from digest.ingest import linkcheck
from digest.ingest.catalog import sources_of
from digest.ingest.fetch import Limits
from digest.ingest.linkcheck import LinkChecker
from digest.ingest.url import ingest_url
from digest.links import ARCHIVE_PATH, Links
from digest.render import render_archive
from digest.store.accounts import user_by_id
from digest.store.articles import articles_by_ids, other_coverage
from digest.store.deliveries import cancel_remaining, delivery_counts
from digest.store.editions import (
    changes,
    insert_edition,
    last_edition,
    list_editions,
    list_of_edition,
    load_edition,
    lock_edition,
    open_draft,
    record_change,
    set_edition_status,
    update_edition,
    write_items,
)
from digest.store.leases import Holder, holder_of
from digest.store.runs import last_run
from digest.store.search import search_articles as find_articles
from digest.store.search import words
from digest.store.sends import load_send, set_send_state
from digest.store.sources import source_health
from subscribers.addresses import normalize
from subscribers.segments import get_segment


@dataclass
class BuildResult:
    edition: Edition | None
    reason: str  # why nothing was built, or a summary of what was


def default_subject(lst: ListSettings, edition: Edition, today: datetime) -> str:
    """The list's subject pattern filled in; the top headline shortened at a word, with an ellipsis,
    where the whole would pass the checks' length limit."""
    top = " ".join(edition.items[0].title.split()) if edition.items else ""
    date = format_date(today, format="long", locale=lst.language)

    def filled(headline: str) -> str:
        subject = lst.subject.format(list=lst.name, top=headline, date=date, count=len(edition.items))
        return " ".join(subject.split()).strip(" :—-")

    room = SUBJECT_MAX - (len(filled(top)) - len(top))
    if len(filled(top)) > SUBJECT_MAX and room >= 12:  # too little room: the checks say so instead
        top = textwrap.shorten(top, room, placeholder="…")
    return filled(top) or lst.name


def _recompose(
    conn: Connection, settings: Settings, edition: Edition, now: datetime
) -> tuple[Edition, Picks]:
    """Items = the list's current picks with the editors' changes replayed over them. Returns the
    edition and the picks, whose `skipped` also counts the picks the items left out."""
    lst = settings.get_list(edition.list_id)
    assert edition.id is not None  # a stored edition
    plan = fold(
        [(change.op, change.args) for change in changes(conn, edition.id) if change.op in CURATION_OPS]
    )
    picks = candidates(conn, settings, lst, now, draft=edition.id)
    pinned = articles_by_ids(conn, plan.pinned)
    coverage = picks.coverage | other_coverage(conn, pinned)
    edition.items = compose(picks.articles, pinned, plan, lst, coverage)
    edition.intro = plan.intro
    edition.subject = plan.subject or default_subject(lst, edition, now)
    write_items(conn, edition.id, edition.items)
    update_edition(conn, edition.id, subject=edition.subject, intro=edition.intro)
    placed = {item.article_id for item in edition.items}
    excluded = sum(1 for a in picks.articles if a.id in plan.excluded)
    beyond = sum(1 for a in picks.articles if a.id not in placed and a.id not in plan.excluded)
    picks.skipped += [f"{excluded} excluded by an editor"] * bool(excluded)
    picks.skipped += [f"{beyond} beyond the list's {lst.max_items} items"] * bool(beyond)
    return edition, picks


def build(
    engine: Engine, settings: Settings, list_id: str, actor: Actor, now: datetime | None = None
) -> BuildResult:
    """Build the list's next edition, or rebuild its open draft keeping the editors' changes."""
    with engine.begin() as conn:
        return build_in(conn, settings, list_id, actor, now or datetime.now(UTC))


def build_in(conn: Connection, settings: Settings, list_id: str, actor: Actor, now: datetime) -> BuildResult:
    """`build` inside the caller's transaction. The reason says what was built and which of the
    sources' articles were left out, and why."""
    lst = settings.get_list(list_id)
    draft_id = open_draft(conn, list_id)
    late = left_out_late(conn, settings, lst, now, draft=draft_id)
    if draft_id is not None:
        edition, picks = _recompose(conn, settings, _load(conn, draft_id), now)
        _record(conn, draft_id, actor, "rebuild", {"items": len(edition.items)})
        return BuildResult(
            edition,
            f"draft #{draft_id} rebuilt with {len(edition.items)} item(s), changes kept" + _skipped(late, picks),
        )
    picks = candidates(conn, settings, lst, now)
    if not picks.articles:
        names = ", ".join(s.name for s in sources_of(conn, settings, lst))
        return BuildResult(
            None, f"no new articles for list {list_id!r} from its sources ({names})" + _skipped(late, picks)
        )
    edition = Edition(list_id=list_id, subject=lst.name, items=[])
    edition_id = insert_edition(conn, edition)
    _record(conn, edition_id, actor, "build", {})
    edition, picks = _recompose(conn, settings, edition, now)
    return BuildResult(
        edition,
        f"edition #{edition.id} for {list_id!r} with {len(edition.items)} item(s)" + _skipped(late, picks),
    )


# The audit log names an action by its verb; the change log keeps a transition by the status reached.
_VERBS: dict[str, str] = {
    EditionStatus.APPROVED: "approve",
    EditionStatus.SCHEDULED: "schedule",
    EditionStatus.CANCELED: "cancel",
    EditionStatus.DRAFT: "unapprove",
}


def _record(
    conn: Connection,
    edition_id: int,
    actor: Actor,
    op: str,
    args: dict[str, Any],
    details: dict[str, Any] | None = None,
) -> None:
    """One action on an edition, in the caller's transaction: its change-log entry (what curation
    replays) and its audit entry `edition.<verb>` (who, when, what: `details`, else the arguments)."""
    record_change(conn, edition_id, actor.name, op, args)
    audit.record(
        conn,
        actor,
        f"edition.{_VERBS.get(op, op)}",
        "edition",
        edition_id,
        args if details is None else details,
    )


def _skipped(late: list[str], picks: Picks) -> str:
    reasons = late + picks.skipped
    return f"; left out: {', '.join(reasons)}" if reasons else ""


def _load(conn: Connection, edition_id: int) -> Edition:
    edition = load_edition(conn, edition_id)
    if edition is None:
        raise NotFound(f"no edition #{edition_id}")
    return edition


def _editable(conn: Connection, edition_id: int) -> Edition:
    edition = _load(conn, edition_id)
    if edition.status not in lifecycle.EDITABLE:
        raise Conflict(f"edition #{edition_id} is {edition.status}: it can no longer be edited")
    return edition


def change(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    actor: Actor,
    op: str,
    seen: int | None = None,
    **args: Any,
) -> Edition:
    """Apply one curation change. An approved or scheduled edition goes back to draft."""
    return apply(engine, settings, edition_id, actor, [(op, args)], seen)


def apply(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    actor: Actor,
    edits: list[tuple[str, dict[str, Any]]],
    seen: int | None = None,
) -> Edition:
    """Apply curation changes in order, all or none: one that names no article, quotation or item of
    the edition is refused before anything is recorded. An approved or scheduled edition goes back to draft.
    `seen` is the last change-log entry the editor's board showed (a board gives it, the CLI does
    not): a change to a field someone else changed since is refused (Conflict), naming them."""
    if any(op == "add" for op, _ in edits):  # fetch nothing for an edition that cannot take it
        with engine.connect() as conn:
            _editable(conn, edition_id)
    edits = [(op, _fetched(engine, settings, args) if op == "add" else args) for op, args in edits]
    with engine.begin() as conn:
        lock_edition(conn, edition_id)  # two editors saving at once: the second sees the first's change
        edition = _editable(conn, edition_id)
        if seen is not None:
            _refuse_collisions(conn, settings, edition, actor, edits, seen)
        for op, args in edits:
            args = _checked(conn, edition, op, args)
            _record(conn, edition_id, actor, op, args, _details(edition, op, args))
            if edition.status != EditionStatus.DRAFT:
                set_edition_status(conn, edition_id, EditionStatus.DRAFT)
                _record(conn, edition_id, actor, "unapprove", {"because": op})
                edition.status = EditionStatus.DRAFT
            edition, _ = _recompose(conn, settings, edition, datetime.now(UTC))
        return edition


AUDIENCE = "audience"  # the change-log op of choosing who an edition goes to (not curation: not replayed)


def choose_segment(engine: Engine, edition_id: int, segment_id: int | None, actor: Actor) -> Edition:
    """Send the edition to one segment of its list's confirmed members (None: to all of them),
    recorded; an approved or scheduled edition goes back to draft, to be approved for its new
    audience. NotFound for a segment there is not, Invalid for one of another list."""
    with engine.begin() as conn:
        lock_edition(conn, edition_id)
        edition = _editable(conn, edition_id)
        name = None
        if segment_id is not None:
            found = get_segment(conn, segment_id)
            if found is None:
                raise NotFound(f"no segment #{segment_id}")
            if found.list_id != edition.list_id:
                raise Invalid(f"the segment {found.name!r} is of the list {found.list_id!r}, not {edition.list_id!r}")
            name = found.name
        if segment_id == edition.segment_id:
            return edition
        update_edition(conn, edition_id, segment_id=segment_id)
        _record(conn, edition_id, actor, AUDIENCE, {"segment_id": segment_id, "segment": name})
        if edition.status != EditionStatus.DRAFT:
            set_edition_status(conn, edition_id, EditionStatus.DRAFT)
            _record(conn, edition_id, actor, "unapprove", {"because": AUDIENCE})
        return _load(conn, edition_id)


def _refuse_collisions(
    conn: Connection,
    settings: Settings,
    edition: Edition,
    actor: Actor,
    edits: list[tuple[str, dict[str, Any]]],
    seen: int,
) -> None:
    assert edition.id is not None  # a stored edition
    log = changes(conn, edition.id)
    for op, args in edits:
        other = conflicts.colliding(log, seen, actor.name, op, args)
        if other is not None:
            raise Conflict(
                conflicts.message(other, args, edition.items, settings.get_list(edition.list_id).timezone)
            )


def _details(edition: Edition, op: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """What the audit log keeps of a change beyond its arguments: a lede before and after."""
    if op != "lede":
        return None
    before = next((item.lede for item in edition.items if item.article_id == args["article_id"]), None)
    return {"article_id": args["article_id"], "before": before, "after": args["text"]}


def _checked(conn: Connection, edition: Edition, op: str, args: dict[str, Any]) -> dict[str, Any]:
    """The change's arguments as they are recorded, once everything they name is known to exist."""
    if op in ("pin", "restore"):
        _article(conn, args["article_id"])
    check_args(op, args, edition.items)
    if op == "quote" and args["index"] is not None:
        check_quote(_article(conn, args["article_id"]), args["index"])
    return args


def _refuse_unverified_quotes(conn: Connection, edition: Edition) -> None:
    """The quote check blocks approval and sending: every quote must stand word for word in its
    article, unless an editor marked it as a deliberate paraphrase."""
    ids = [item.article_id for item in edition.items if item.article_id is not None]
    failed = unverified(edition.items, articles_by_ids(conn, ids))
    if failed:
        raise Invalid(f"edition #{edition.id}: " + "; ".join(f.message() for f in failed))


def _article(conn: Connection, article_id: int) -> Article:
    found = articles_by_ids(conn, [article_id]).get(article_id)
    if found is None:
        raise NotFound(f"no article #{article_id}: `digest editions show` prints the ids of the items")
    return found


def _fetched(engine: Engine, settings: Settings, args: dict[str, Any]) -> dict[str, Any]:
    """An added article is fetched and stored then and there when no stored article has its URL; from a
    public address only, unless the instance allows private ones (fetch_private_addresses)."""
    limits = Limits(public_only=not settings.fetch_private_addresses)
    return {"article_id": ingest_url(engine, str(args["url"]), limits).id, "url": args["url"]}


def transition(
    engine: Engine, edition_id: int, target: EditionStatus, actor: Actor, **values: object
) -> Edition:
    """Move an edition along its lifecycle (approve, schedule, cancel), recording who did it."""
    with engine.begin() as conn:
        return transition_in(conn, edition_id, target, actor, **values)


def transition_in(
    conn: Connection, edition_id: int, target: EditionStatus, actor: Actor, **values: object
) -> Edition:
    """`transition` inside the caller's transaction."""
    edition = _load(conn, edition_id)
    lifecycle.check(edition_id, edition.status, target)
    if target == EditionStatus.APPROVED and not edition.items:
        raise Conflict(f"edition #{edition_id} has no items: nothing to approve")
    if target in SENDABLE:
        _refuse_unverified_quotes(conn, edition)
    set_edition_status(conn, edition_id, target)
    if values:
        update_edition(conn, edition_id, **values)
    _record(conn, edition_id, actor, target, {k: str(v) for k, v in values.items()})
    return _load(conn, edition_id)


def submit(engine: Engine, edition_id: int, actor: Actor) -> Edition:
    """An editor asks for approval: recorded, the draft stays a draft until a publisher approves it."""
    with engine.begin() as conn:
        edition = _load(conn, edition_id)
        if edition.status != EditionStatus.DRAFT:
            raise Conflict(
                f"edition #{edition_id} is {edition.status}: only a draft is submitted for approval"
            )
        if not edition.items:
            raise Conflict(f"edition #{edition_id} has no items: nothing to submit")
        _record(conn, edition_id, actor, SUBMIT, {})
        return edition


def schedule(engine: Engine, edition_id: int, at: datetime, actor: Actor) -> Edition:
    """Send an approved edition at a given moment (`digest serve` sends it then)."""
    if at.tzinfo is None:
        raise Invalid("a scheduled time needs its time zone")
    return transition(engine, edition_id, EditionStatus.SCHEDULED, actor, scheduled_for=at)


# The send of an edition, as editors steer it.


def _sending(conn: Connection, edition_id: int) -> SendState:
    edition = _load(conn, edition_id)
    send = load_send(conn, edition_id)
    if edition.status != EditionStatus.SENDING or send is None:
        raise Conflict(
            f"edition #{edition_id} is {edition.status}: only a send in progress can be paused, resumed or canceled"
        )
    return send.state


def cancel(engine: Engine, edition_id: int, actor: Actor) -> tuple[Edition, int]:
    """Cancel an edition. A send under way stops after the batch in flight: the messages not yet
    handed over are not sent (returned as a count); those already sent stay sent."""
    with engine.begin() as conn:
        if _load(conn, edition_id).status != EditionStatus.SENDING:
            return transition_in(conn, edition_id, EditionStatus.CANCELED, actor), 0
        _sending(conn, edition_id)
        set_send_state(conn, edition_id, SendState.CANCELED)
        unsent = cancel_remaining(conn, edition_id)
        set_edition_status(conn, edition_id, EditionStatus.CANCELED)
        _record(conn, edition_id, actor, EditionStatus.CANCELED, {"unsent": str(unsent)})
        return _load(conn, edition_id), unsent


def pause(engine: Engine, edition_id: int, actor: Actor) -> None:
    """The sender stops after the batch in flight; nothing is lost, `resume` goes on."""
    _steer(engine, edition_id, actor, "pause", SendState.RUNNING, SendState.PAUSED)


def resume(engine: Engine, edition_id: int, actor: Actor) -> None:
    """A paused send may go on: the next `digest send`, or `digest serve`'s dispatch, carries it on."""
    _steer(engine, edition_id, actor, "resume", SendState.PAUSED, SendState.RUNNING)


def _steer(
    engine: Engine, edition_id: int, actor: Actor, op: str, current: SendState, target: SendState
) -> None:
    with engine.begin() as conn:
        if _sending(conn, edition_id) != current:
            raise Conflict(f"the send of edition #{edition_id} is not {current}")
        set_send_state(conn, edition_id, target)
        _record(conn, edition_id, actor, op, {})


def send_now(engine: Engine, edition_id: int, actor: Actor) -> Edition:
    """A publisher's "send now", recorded: the edition must be approved or scheduled. The caller then
    runs `send` (the web app, in the background, watching its progress)."""
    with engine.begin() as conn:
        edition = _load(conn, edition_id)
        if edition.status not in SENDABLE:
            raise Conflict(f"edition #{edition_id} is {edition.status}: approve it before sending it")
        _refuse_unverified_quotes(conn, edition)
        _record(conn, edition_id, actor, "send", {})
        return edition


def send(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    links: Links,
    progress: Callable[[Progress], None] | None = None,
) -> SendReport:
    """Send an approved or scheduled edition through the configured backend, or carry on its send.
    One whose quotes fail the quote check is refused before its send begins."""
    with engine.connect() as conn:
        edition = _load(conn, edition_id)
        if edition.status in SENDABLE:
            _refuse_unverified_quotes(conn, edition)
    return send_edition(engine, settings, edition_id, make_backend(settings), links, progress)


# What editors look at.


@dataclass(frozen=True)
class EditionView:
    edition: Edition
    send: SendStatus | None  # None until the send made its rows
    changes: list[Change]
    review_link: str | None  # a reviewed list's signed preview link, or why it cannot be shown


def show(engine: Engine, settings: Settings, edition_id: int, links: Links | None) -> EditionView:
    """An edition with its items, its send, its change log and (reviewed lists) its review link;
    `links` is None when the signing key is not set."""
    with engine.connect() as conn:
        edition = _load(conn, edition_id)
        counts = delivery_counts(conn, edition_id)
        status = send_status(conn, edition_id, edition.status) if counts else None
        log = changes(conn, edition_id)
    return EditionView(edition, status, log, _review_link(settings, edition, links))


def _review_link(settings: Settings, edition: Edition, links: Links | None) -> str | None:
    try:
        reviewed = settings.get_list(edition.list_id).review is not None
    except ConfigError:  # a list no longer in config.yaml
        return None
    if not reviewed:
        return None
    if links is None:
        return f"needs {config.SECRET_KEY_ENV} (the link is signed with it)"
    assert edition.id is not None  # a stored edition
    return links.review(edition.id, edition.list_id)


@dataclass(frozen=True)
class Listed:
    edition: Edition
    counts: dict[str, int]  # its delivery rows by status


def list_all(engine: Engine, list_id: str | None = None) -> list[Listed]:
    """Every edition (of one list), oldest first, with its deliveries counted."""
    with engine.connect() as conn:
        return [
            Listed(e, delivery_counts(conn, e.id)) for e in list_editions(conn, list_id) if e.id is not None
        ]


def board(engine: Engine, settings: Settings, edition_id: int) -> Board:
    """An edition as its board shows it: the items with every quotation of their articles, which
    are pinned, the articles left out, whether it awaits approval, its send's figures."""
    with engine.connect() as conn:
        log = changes(conn, edition_id)  # before the edition: a change it shows past the log is seen later
        edition = _load(conn, edition_id)
        plan = fold([(change.op, change.args) for change in log if change.op in CURATION_OPS])
        ids = [item.article_id for item in edition.items if item.article_id is not None]
        articles = articles_by_ids(conn, [*ids, *plan.excluded])
        send = send_status(conn, edition_id, edition.status) if delivery_counts(conn, edition_id) else None
    return board_of(edition, articles, plan, log, send)


def source(engine: Engine, edition_id: int, article_id: int) -> Source:
    """An item's article as the board shows it beside the brief: its text, the lede and quotes marked."""
    with engine.connect() as conn:
        brief, article = _item(conn, edition_id, article_id)
    return source_of(article, brief)


def passage(engine: Engine, edition_id: int, article_id: int, text: str) -> Passage:
    """A passage an editor selected in an item's article, as the lede or the quote it would make,
    with the speaker trim gives a quotation there."""
    with engine.connect() as conn:
        _, article = _item(conn, edition_id, article_id)
    return passage_in(article, text)


def _item(conn: Connection, edition_id: int, article_id: int) -> tuple[Brief, Article]:
    brief = next((b for b in _load(conn, edition_id).items if b.article_id == article_id), None)
    if brief is None:
        raise NotFound(f"article {article_id} is not in edition #{edition_id}")
    return brief, _article(conn, article_id)


def mail(engine: Engine, settings: Settings, edition_id: int) -> Mail:
    """The edition's message (HTML, text, size) as a subscriber gets it: the board's live preview."""
    with engine.connect() as conn:
        edition = _load(conn, edition_id)
    return as_sent(settings, edition)


def checks(
    engine: Engine, settings: Settings, edition_id: int, links: LinkChecker = linkcheck.shared
) -> list[Check]:
    """The checks before sending that the edition fails (none: it is ready), each with its item's
    position or None for the edition as a whole. The mail's links are asked over the network."""
    with engine.connect() as conn:
        edition = _load(conn, edition_id)
        articles = articles_by_ids(
            conn, [item.article_id for item in edition.items if item.article_id is not None]
        )
    mail = as_sent(settings, edition)
    found = links.check(links_of(mail, settings.base_url), public_only=not settings.fetch_private_addresses)
    return find_problems(edition, articles, mail, found)


def test_send(
    engine: Engine, settings: Settings, edition_id: int, actor: Actor, to: list[str] | None = None
) -> list[ProofResult]:
    """Send the edition as a test through the configured backend to the acting editor's own address,
    the addresses in `to` and the list's seed addresses: subject prefixed "[TEST]", a header marking
    it a test, no delivery row, nothing counted in the edition's figures; an audit entry."""
    given = [normalize(address) for address in to or []]
    with engine.connect() as conn:
        edition = _load(conn, edition_id)
        user = user_by_id(conn, actor.user_id) if actor.user_id is not None else None
    lst = settings.get_list(edition.list_id)
    addresses = list(dict.fromkeys([*([user.email] if user else []), *given, *map(str, lst.seed_addresses)]))
    if not addresses:
        raise Invalid(
            f"no address to send the test of edition #{edition_id} to: give one (--to), "
            f"or set seed_addresses for the list {lst.id!r} in config.yaml"
        )
    content, archive = rendered(settings, edition)
    results = send_proofs(make_backend(settings), lst, content, archive, addresses)
    with engine.begin() as conn:
        details = {"to": addresses, "accepted": sum(r.accepted for r in results)}
        audit.record(conn, actor, "edition.test_send", "edition", edition_id, details)
    return results


def search_articles(
    engine: Engine, settings: Settings, query: str, list_id: str | None = None, limit: int = 20
) -> list[Article]:
    """Stored articles whose title and text hold every word of `query` (words, or their starts),
    of the list's sources when a list is given, best first: what an editor adds to an edition."""
    if not words(query):
        raise Invalid(f"nothing to search for in {query!r}: give a word or two")
    if not 1 <= limit <= 200:
        raise Invalid(f"a search gives 1 to 200 articles, not {limit}")
    with engine.connect() as conn:
        lst = settings.get_list(list_id) if list_id is not None else None
        names = [s.name for s in sources_of(conn, settings, lst)] if lst is not None else None
        return find_articles(conn, query, names, limit)


def preview(
    engine: Engine,
    settings: Settings,
    edition_id: int,
    target: Path | None = None,
    *,
    width: int | None = None,
) -> Preview:
    """Write the edition's HTML as a subscriber sees it (framed at a phone's or a desktop's width)."""
    check_width(width)
    with engine.connect() as conn:
        edition = _load(conn, edition_id)
    return write_preview(settings, edition, target, width=width)


@dataclass(frozen=True)
class ListStatus:
    list: ListSettings
    next_run: datetime | None
    last_run: Run | None
    last_edition: Edition | None


@dataclass(frozen=True)
class Status:
    lists: list[ListStatus]
    failing_sources: list[tuple[str, str]]  # (name, last error)
    scheduler: Holder | None  # the process running the scheduler, if one does


def status(engine: Engine, settings: Settings, now: datetime | None = None) -> Status:
    """Each list's next and last run and last edition, the failing sources, the scheduler's holder."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        lists = [
            ListStatus(lst, next_run(lst, now), last_run(conn, lst.id), last_edition(conn, lst.id))
            for lst in settings.lists
        ]
        failing = [(s.name, s.last_error) for s in source_health(conn) if s.last_error]
        holder = holder_of(conn)
    return Status(lists, failing, holder)


# The pages: an edition as its readers got it, and a draft for its editors.


def public_page(engine: Engine, settings: Settings, edition_id: int) -> str:
    """An edition's web archive page, from the moment it starts sending. NotFound otherwise."""
    with engine.connect() as conn:
        edition = load_edition(conn, edition_id)
    if edition is None or edition.status not in lifecycle.PUBLIC:
        raise NotFound(f"no edition #{edition_id} in the archive")
    return _page(settings, edition)


def draft_page(engine: Engine, settings: Settings, edition_id: int) -> str:
    """An edition in any state, as its readers would get it: for the editors' review link."""
    with engine.connect() as conn:
        edition = _load(conn, edition_id)
    return _page(settings, edition)


def _page(settings: Settings, edition: Edition) -> str:
    try:
        lst = settings.get_list(edition.list_id)
    except ConfigError:  # the list left config.yaml: its editions are no longer served
        raise NotFound(f"no list with id {edition.list_id!r}") from None
    assert edition.id is not None  # a stored edition
    url = settings.base_url + ARCHIVE_PATH.format(edition_id=edition.id)
    return render_archive(edition, lst, settings.template_folders(lst), url)


def list_of(engine: Engine, edition_id: int) -> str | None:
    """The list an edition belongs to (None when there is no such edition): what an editor's list
    scope is checked against."""
    with engine.connect() as conn:
        return list_of_edition(conn, edition_id)
