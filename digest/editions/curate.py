"""Curation: an editor's changes to a draft, kept as a log and replayed over the current picks.

Because the items are always (picks, then the log), rebuilding a draft with new articles keeps
every pin, exclusion, move and rewrite the editors made.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from digest.config import ListSettings
from digest.domain import Article, Brief, Coverage, Quote
from digest.errors import Invalid, NotFound
from digest.trim import trim
from digest.trim.quotes import find_quotes

CURATION_OPS = (
    "pin", "exclude", "restore", "move", "lede", "quote", "quote_text", "paraphrase", "subject", "intro", "add",
)  # fmt: skip
ON_ITEM = ("exclude", "move", "lede", "quote", "quote_text", "paraphrase")  # the ops that name an item


@dataclass
class Plan:
    """The editor's intent, folded from the change log."""

    pinned: list[int] = field(default_factory=list)
    excluded: set[int] = field(default_factory=set)
    moves: list[tuple[int, int]] = field(default_factory=list)  # (article id, 1-based position)
    ledes: dict[int, str] = field(default_factory=dict)
    quotes: dict[int, int | None] = field(default_factory=dict)  # article id -> quote index, or none
    quote_texts: dict[int, Quote] = field(default_factory=dict)  # article id -> a quote written by hand
    paraphrased: set[int] = field(default_factory=set)  # articles whose quote is a deliberate paraphrase
    subject: str | None = None
    intro: str | None = None


def fold(log: list[tuple[str, dict[str, Any]]]) -> Plan:
    plan = Plan()
    for op, args in log:
        if op in ("pin", "add"):
            aid = args["article_id"]
            plan.excluded.discard(aid)
            if aid not in plan.pinned:
                plan.pinned.append(aid)
        elif op == "exclude":
            plan.excluded.add(args["article_id"])
            plan.pinned = [a for a in plan.pinned if a != args["article_id"]]
        elif op == "restore":  # an excluded article goes back among the picks, where it ranks
            plan.excluded.discard(args["article_id"])
        elif op == "move":
            plan.moves.append((args["article_id"], args["position"]))
        elif op == "lede":
            plan.ledes[args["article_id"]] = args["text"]
        elif op == "quote":  # a quotation of the article: it replaces a hand-written one, checked anew
            plan.quotes[args["article_id"]] = args["index"]
            plan.quote_texts.pop(args["article_id"], None)
            plan.paraphrased.discard(args["article_id"])
        elif op == "quote_text":  # a quote edited by hand: the quote check looks at it anew
            plan.quote_texts[args["article_id"]] = Quote(args["text"], args.get("speaker") or None)
            plan.paraphrased.discard(args["article_id"])
        elif op == "paraphrase":
            (plan.paraphrased.add if args["on"] else plan.paraphrased.discard)(args["article_id"])
        elif op == "subject":
            plan.subject = args["text"]
        elif op == "intro":
            plan.intro = args["text"] or None
    return plan


def compose(
    picks: list[Article],
    pinned: dict[int, Article],
    plan: Plan,
    lst: ListSettings,
    coverage: dict[int, list[Coverage]],
) -> list[Brief]:
    """The edition's items: pinned first, then the best picks, moved and rewritten as the editors said."""
    chosen = [pinned[a] for a in plan.pinned if a in pinned and a not in plan.excluded]
    room = max(0, lst.max_items - len(chosen))
    taken = {a.id for a in chosen}
    stories = {a.story_id for a in chosen if a.story_id is not None}
    chosen += [
        a for a in picks if a.id not in plan.excluded and a.id not in taken and (a.story_id not in stories)
    ][:room]
    for aid, position in plan.moves:
        at = next((i for i, a in enumerate(chosen) if a.id == aid), None)
        if at is not None:
            chosen.insert(min(max(position, 1), len(chosen)) - 1, chosen.pop(at))
    return [_brief(a, plan, lst, coverage.get(a.id, []) if a.id is not None else []) for a in chosen]


def _brief(article: Article, plan: Plan, lst: ListSettings, also: list[Coverage]) -> Brief:
    brief = replace(trim(article, lede_words=lst.lede_words, max_quotes=lst.quotes_per_item), also=also)
    if article.id in plan.ledes:
        brief = replace(brief, lede=plan.ledes[article.id])
    if article.id in plan.quotes:
        index = plan.quotes[article.id]
        found = find_quotes(article)
        brief = replace(brief, quotes=[] if index is None or index >= len(found) else [found[index]])
    if article.id in plan.quote_texts:
        brief = replace(brief, quotes=[plan.quote_texts[article.id]])
    if article.id in plan.paraphrased:
        brief = replace(brief, quotes=[replace(q, paraphrase=True) for q in brief.quotes])
    return brief


def check_args(op: str, args: dict[str, Any], items: list[Brief]) -> None:
    """Refuse a change that names no item of the edition, before it is recorded."""
    if op not in CURATION_OPS:
        raise Invalid(f"unknown change {op!r}; one of {', '.join(CURATION_OPS)}")
    in_edition = {b.article_id for b in items}
    if op in ON_ITEM and args["article_id"] not in in_edition:
        raise NotFound(f"article {args['article_id']} is not in this edition")
    if op == "move" and not 1 <= args["position"] <= max(len(items), 1):
        raise Invalid(f"position {args['position']} is outside 1..{len(items)}")
    if op == "lede" and not args["text"].strip():
        raise Invalid("a lede cannot be empty")
    if op == "quote_text" and not args["text"].strip():
        raise Invalid("a quote cannot be empty: to show none, choose no quotation")
    if (
        op == "paraphrase"
        and args["on"]
        and not next(b for b in items if b.article_id == args["article_id"]).quotes
    ):
        raise Invalid(
            f"article {args['article_id']} shows no quote: there is nothing to mark as a paraphrase"
        )
    if op == "subject" and not args["text"].strip():
        raise Invalid("a subject cannot be empty")


def check_quote(article: Article, index: int) -> None:
    """Refuse a quotation number the article does not have (they count from 0)."""
    found = len(find_quotes(article))
    if not 0 <= index < found:
        has = f"its quotations are 0 to {found - 1}" if found else "it has none"
        raise NotFound(f"article #{article.id} has no quotation {index}: {has}")
