"""The edition board as editors see it: each item with every quotation its article holds (not only
the ranked ones, so an editor can pick another), whether it is pinned, and the articles an editor
left out (to restore). Plain data for the newsroom's board page; the service reads it."""

from __future__ import annotations

from dataclasses import dataclass

from digest.deliver.control import SendStatus
from digest.domain import Article, Brief, Change, Edition, Quote
from digest.editions.curate import Plan
from digest.editions.quotecheck import appears_in
from digest.trim.quotes import find_quotes

SUBMIT = "submit"  # the change-log op of an editor asking for approval


@dataclass(frozen=True)
class BoardItem:
    brief: Brief
    found: list[Quote]  # every quotation of the article, in order: what `quote` indexes
    shown: list[int]  # the indexes of `found` the item shows
    pinned: bool
    unverified: bool = False  # its quote fails the quote check (not word for word, not a paraphrase)

    @property
    def article_id(self) -> int:
        assert self.brief.article_id is not None  # items of a stored edition
        return self.brief.article_id


@dataclass(frozen=True)
class Excluded:
    article_id: int
    title: str
    source: str


@dataclass(frozen=True)
class Board:
    edition: Edition
    items: list[BoardItem]
    excluded: list[Excluded]
    submitted: Change | None  # the editor's request for approval, if nothing changed since
    send: SendStatus | None = None  # its send's figures, once the send has made its rows
    seen: int = 0  # the last change-log entry it shows: what a change made from it says its editor saw

    @property
    def edition_id(self) -> int:
        assert self.edition.id is not None  # a stored edition
        return self.edition.id


def board_of(
    edition: Edition, articles: dict[int, Article], plan: Plan, log: list[Change], send: SendStatus | None
) -> Board:
    items = []
    for brief in edition.items:
        article = articles.get(brief.article_id) if brief.article_id is not None else None
        found = find_quotes(article) if article else []
        texts = [q.text for q in brief.quotes]
        shown = [i for i, q in enumerate(found) if q.text in texts]
        flagged = article is not None and any(
            not q.paraphrase and not appears_in(q.text, article) for q in brief.quotes
        )
        items.append(BoardItem(brief, found, shown, brief.article_id in plan.pinned, flagged))
    excluded = [
        Excluded(aid, articles[aid].title, articles[aid].source)
        for aid in sorted(plan.excluded)
        if aid in articles
    ]
    return Board(edition, items, excluded, _submitted(log), send, log[-1].id if log else 0)


def _submitted(log: list[Change]) -> Change | None:
    """The request for approval, when it is the last thing that happened to the edition."""
    return log[-1] if log and log[-1].op == SUBMIT else None
