"""Editions as a service: build, curate, approve, schedule, cancel. The CLI, the scheduler and the
web pages call these, and every action is recorded with who did it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date
from sqlalchemy import Connection, Engine

from digest.config import ListSettings, Settings
from digest.domain import Article, Edition, EditionStatus
from digest.editions import lifecycle
from digest.editions.curate import CURATION_OPS, check_args, check_quote, compose, fold
from digest.editions.select import Picks, candidates
from digest.errors import Conflict, NotFound
from digest.store.articles import article_by_url, articles_by_ids, other_coverage
from digest.store.editions import (
    changes,
    insert_edition,
    load_edition,
    open_draft,
    record_change,
    set_edition_status,
    update_edition,
    write_items,
)


@dataclass
class BuildResult:
    edition: Edition | None
    reason: str  # why nothing was built, or a summary of what was


def default_subject(lst: ListSettings, edition: Edition, today: datetime) -> str:
    top = edition.items[0].title if edition.items else ""
    date = format_date(today, format="long", locale=lst.language)
    subject = lst.subject.format(list=lst.name, top=top, date=date, count=len(edition.items))
    return " ".join(subject.split()).strip(" :—-") or lst.name


def _recompose(conn: Connection, settings: Settings, edition: Edition, now: datetime) -> tuple[Edition, Picks]:
    """Items = the list's current picks with the editors' changes replayed over them. Returns the
    edition and the picks, whose `skipped` also counts the picks the items left out."""
    lst = settings.get_list(edition.list_id)
    assert edition.id is not None  # a stored edition
    plan = fold([(row.op, row.args) for row in changes(conn, edition.id) if row.op in CURATION_OPS])
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
    engine: Engine, settings: Settings, list_id: str, actor: str, now: datetime | None = None
) -> BuildResult:
    """Build the list's next edition, or rebuild its open draft keeping the editors' changes."""
    with engine.begin() as conn:
        return build_in(conn, settings, list_id, actor, now or datetime.now(UTC))


def build_in(conn: Connection, settings: Settings, list_id: str, actor: str, now: datetime) -> BuildResult:
    """`build` inside the caller's transaction. The reason says what was built and which of the
    sources' articles were left out, and why."""
    lst = settings.get_list(list_id)
    draft_id = open_draft(conn, list_id)
    if draft_id is not None:
        edition, picks = _recompose(conn, settings, _load(conn, draft_id), now)
        record_change(conn, draft_id, actor, "rebuild", {"items": len(edition.items)})
        return BuildResult(
            edition,
            f"draft #{draft_id} rebuilt with {len(edition.items)} item(s), changes kept" + _skipped(picks),
        )
    picks = candidates(conn, settings, lst, now)
    if not picks.articles:
        names = ", ".join(s.name for s in settings.sources_of(lst))
        return BuildResult(None, f"no new articles for list {list_id!r} from its sources ({names})" + _skipped(picks))
    edition = Edition(list_id=list_id, subject=lst.name, items=[])
    edition_id = insert_edition(conn, edition)
    record_change(conn, edition_id, actor, "build", {})
    edition, picks = _recompose(conn, settings, edition, now)
    return BuildResult(
        edition, f"edition #{edition.id} for {list_id!r} with {len(edition.items)} item(s)" + _skipped(picks)
    )


def _skipped(picks: Picks) -> str:
    return f"; left out: {', '.join(picks.skipped)}" if picks.skipped else ""


def _load(conn: Connection, edition_id: int) -> Edition:
    edition = load_edition(conn, edition_id)
    if edition is None:
        raise NotFound(f"no edition #{edition_id}")
    return edition


def _editable(conn: Connection, edition_id: int) -> Edition:
    edition = _load(conn, edition_id)
    if edition.status not in lifecycle.EDITABLE:
        raise Conflict(
            f"edition #{edition_id} is {edition.status}: it can no longer be edited"
        )
    return edition


def change(engine: Engine, settings: Settings, edition_id: int, actor: str, op: str, **args: Any) -> Edition:
    """Apply one curation change. An approved or scheduled edition goes back to draft."""
    return apply(engine, settings, edition_id, actor, [(op, args)])


def apply(
    engine: Engine, settings: Settings, edition_id: int, actor: str, edits: list[tuple[str, dict[str, Any]]]
) -> Edition:
    """Apply curation changes in order, all or none: one that names no article, quotation or item of
    the edition is refused before anything is recorded. An approved or scheduled edition goes back to draft."""
    with engine.begin() as conn:
        edition = _editable(conn, edition_id)
        for op, args in edits:
            args = _checked(conn, edition, op, args)
            record_change(conn, edition_id, actor, op, args)
            if edition.status != "draft":
                set_edition_status(conn, edition_id, "draft")
                record_change(conn, edition_id, actor, "unapprove", {"because": op})
                edition.status = EditionStatus.DRAFT
            edition, _ = _recompose(conn, settings, edition, datetime.now(UTC))
        return edition


def _checked(conn: Connection, edition: Edition, op: str, args: dict[str, Any]) -> dict[str, Any]:
    """The change's arguments as they are recorded, once everything they name is known to exist."""
    if op == "add":
        args = {"article_id": _article_for_url(conn, args["url"]).id, "url": args["url"]}
    elif op == "pin":
        _article(conn, args["article_id"])
    check_args(op, args, edition.items)
    if op == "quote" and args["index"] is not None:
        check_quote(_article(conn, args["article_id"]), args["index"])
    return args


def _article(conn: Connection, article_id: int) -> Article:
    found = articles_by_ids(conn, [article_id]).get(article_id)
    if found is None:
        raise NotFound(f"no article #{article_id}: `digest editions show` prints the ids of the items")
    return found


def _article_for_url(conn: Connection, url: str) -> Article:
    article = article_by_url(conn, url)
    if article is None:
        raise NotFound(f"no article with the URL {url}: ingest its source first")
    return article


def transition(engine: Engine, edition_id: int, target: str, actor: str, **values: object) -> Edition:
    """Move an edition along its lifecycle (approve, schedule, cancel), recording who did it."""
    with engine.begin() as conn:
        return transition_in(conn, edition_id, target, actor, **values)


def transition_in(conn: Connection, edition_id: int, target: str, actor: str, **values: object) -> Edition:
    """`transition` inside the caller's transaction."""
    edition = _load(conn, edition_id)
    lifecycle.check(edition_id, edition.status, target)
    if target == "approved" and not edition.items:
        raise Conflict(f"edition #{edition_id} has no items: nothing to approve")
    set_edition_status(conn, edition_id, target)
    if values:
        update_edition(conn, edition_id, **values)
    record_change(conn, edition_id, actor, target, {k: str(v) for k, v in values.items()})
    return _load(conn, edition_id)


def cancel(engine: Engine, edition_id: int, actor: str) -> tuple[Edition, int]:
    """Cancel an edition. A send under way stops after the batch in flight: the messages not yet
    handed over are not sent (returned as a count); those already sent stay sent."""
    from digest.deliver import control

    with engine.connect() as conn:
        edition = load_edition(conn, edition_id)
    if edition is None or edition.status != "sending":
        return transition(engine, edition_id, "canceled", actor), 0
    unsent = control.cancel(engine, edition_id)
    with engine.begin() as conn:
        record_change(conn, edition_id, actor, "canceled", {"unsent": str(unsent)})
        return _load(conn, edition_id), unsent


def list_of(engine: Engine, edition_id: int) -> str | None:
    """The list an edition belongs to (None when there is no such edition): what an editor's list
    scope is checked against."""
    with engine.connect() as conn:
        edition = load_edition(conn, edition_id)
    return edition.list_id if edition else None
