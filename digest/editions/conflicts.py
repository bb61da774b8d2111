"""Two editors on one draft: which changes collide. Every change goes into the log and is replayed,
so changes to different items (or to different fields of one item) all stay. A change made from a
board that had not shown another editor's later change to the same field would silently undo it:
that one is refused, naming the other editor, when and what they set, until its editor has seen it.

The same field: an item's lede; its quote (choosing a quotation, writing one by hand and the
paraphrase mark all set what the item quotes); whether an article is in the edition (pin, exclude,
restore); the subject; the intro. Reorders never collide (each move is replayed in turn, and
nothing an editor wrote is lost by one), nor do additions by URL, nor two changes that set the
same value."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from digest.domain import Brief, Change

_FAMILIES = {
    "lede": "lede",
    "quote": "quote",
    "quote_text": "quote",
    "paraphrase": "quote",
    "pin": "place",
    "exclude": "place",
    "restore": "place",
    "subject": "subject",
    "intro": "intro",
}
_SHOWN = 200  # the characters of the other editor's text the message quotes


def field_of(op: str, args: dict[str, Any]) -> tuple[str, int | None] | None:
    """The field a change sets, or None for a change that never collides (a move, an addition)."""
    family = _FAMILIES.get(op)
    if family is None:
        return None
    return family, args.get("article_id") if family not in ("subject", "intro") else None


def colliding(log: list[Change], seen: int, actor: str, op: str, args: dict[str, Any]) -> Change | None:
    """The latest change to the same field that someone else made after the board at `seen` (the
    id of the last entry its editor's board showed), when it set something else; None otherwise."""
    field = field_of(op, args)
    if field is None:
        return None
    same = [c for c in log if c.id > seen and field_of(c.op, c.args) == field]
    last = same[-1] if same else None
    if last is None or last.actor == actor or (last.op, last.args) == (op, args):
        return None
    return last


def message(other: Change, mine: dict[str, Any], items: list[Brief], zone: str) -> str:
    """The refusal as the second editor reads it (`mine`: the arguments of their change): who
    changed what, when, to what; theirs not saved."""
    family, article_id = field_of(other.op, other.args) or ("", None)
    title = next((b.title for b in items if b.article_id == article_id), f"article #{article_id}")
    what = {
        "lede": f"the lede of “{title}”",
        "quote": f"the quote of “{title}”",
        "place": f"whether “{title}” is in the edition",
        "subject": "the subject",
        "intro": "the intro",
    }[family]
    kept = "your text is kept in its field, save it again" if "text" in mine else "do it again"
    return (
        f"{other.actor} changed {what} at {_time(other.at, zone)}, after this board was loaded: "
        f"{_value(other)}. Your change was not saved: {kept} to replace theirs."
    )


def _value(change: Change) -> str:
    args = change.args
    if change.op == "quote":
        return (
            "they chose no quote"
            if args["index"] is None
            else f"they chose quotation {args['index'] + 1} of the article"
        )
    if change.op == "paraphrase":
        return "they marked the quote as a paraphrase" if args["on"] else "they unmarked the paraphrase"
    if change.op in ("pin", "exclude", "restore"):
        return {"pin": "they pinned it", "exclude": "they left it out", "restore": "they restored it"}[
            change.op
        ]
    text = " ".join(str(args["text"]).split())
    if not text:
        return "they removed it"
    return f"now “{text[:_SHOWN]}{'…' if len(text) > _SHOWN else ''}”"


def _time(at: datetime, zone: str) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return f"{local:%H:%M:%S} ({zone})"
