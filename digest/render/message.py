"""Jinja2 -> MJML -> HTML, plus a plain-text twin, rendered once per edition.

Per-recipient values (name, personal links) are left as markers that carry a random nonce, so no
article text can forge one, and are filled in later by plain substitution: Jinja2 and MJML run
once per edition, not once per recipient.

The HTML must stay under Gmail's clip limit once filled in. When the picks would pass the budget,
the trailing items are held back and the mail links to the web archive for them instead.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from digest.config import ListSettings
from digest.domain import Edition
from digest.render.catalog import Catalog
from digest.render.context import item_view, preheader
from digest.render.environment import RenderError, Templates
from digest.render.fill import Holes

FIELDS = ("name", "unsubscribe_url", "preferences_url", "archive_url", "reader")  # reader: a tracked copy's token
BUDGET = 90 * 1024  # bytes of HTML after personalization; Gmail clips at about 102 KB
FIELD_ROOM = 512  # bytes reserved for each filled-in value when checking the budget
# a reader token (digest.links.Links.reader: two ids, a time, a signature) is under 80 characters, and
# a tracked copy holds one in every story link: reserving FIELD_ROOM for each would hold stories back
FIELD_ROOMS = {"reader": 96}
FOOTER_LINKS = (
    ("unsubscribe_url", "unsubscribe"),
    ("preferences_url", "preferences"),
    ("archive_url", "view_in_browser"),
)
NAME_CHARS = 80  # a name is cut to this, so even escaped it fits FIELD_ROOM; links are ours and shorter

__all__ = [
    "BUDGET",
    "FIELDS",
    "MessageTemplate",
    "Tracking",
    "RenderError",
    "personalize",
    "render_archive",
    "render_edition",
]


@dataclass(frozen=True)
class Tracking:
    """What a tracked copy carries (digest.deliver.readers): each story's redirect link, by its edition
    item id, up to where the reader's token goes (digest.links.Links.click); and, for opens, the
    pixel's address before and after that token. The token is the `reader` field, filled per recipient."""

    clicks: Mapping[int, str] = field(default_factory=dict)
    pixel: tuple[str, str] | None = None


@dataclass(frozen=True)
class MessageTemplate:
    subject: str
    html: str
    text: str
    markers: dict[str, str]  # field -> marker in html and text
    held_back: int = 0  # trailing items left out to stay under the size budget; the mail links to the archive
    html_holes: Holes = field(init=False, repr=False, compare=False)
    text_holes: Holes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "html_holes", Holes(self.html, self.markers))
        object.__setattr__(self, "text_holes", Holes(self.text, self.markers))

    @property
    def max_size(self) -> int:
        """Bytes of HTML once filled with values of up to FIELD_ROOM bytes each."""
        markers = sum(len(self.markers[f]) * n for f, n in self.html_holes.counts.items())
        room = sum(FIELD_ROOMS.get(f, FIELD_ROOM) * n for f, n in self.html_holes.counts.items())
        return len(self.html.encode()) - markers + room


def render_edition(
    edition: Edition,
    lst: ListSettings,
    templates: Path | Sequence[Path],
    today: date | None = None,
    *,
    budget: int | None = BUDGET,
    archive: bool = False,
    tracking: Tracking | None = None,
    most: int | None = None,
) -> MessageTemplate:
    """Render once for every recipient. `archive` renders the public web page: no personal links.
    With `tracking`, the stories' links and the pixel carry the reader's token; without, links go
    straight to the articles and there is no pixel. `most` caps the items shown (the others are held
    back, as the budget holds them back), so a tracked and a plain copy can show the same.

    `templates` is the default folder or, from `Settings.template_folders`, the list's own first.
    """
    folders = Templates(templates)
    context = edition_context(
        edition, lst, make_markers(FIELDS), today=today, personal=not archive,
        tracking=None if archive else tracking,
    )  # fmt: skip
    items = context["items"]

    def render(shown: int) -> MessageTemplate:
        view = context | {"items": items[:shown], "held_back": len(items) - shown}
        return render_pair(folders, "digest", view, held_back=len(items) - shown)

    top = len(items) if most is None else max(0, min(most, len(items)))
    message = render(top)
    if archive or budget is None or message.max_size <= budget:
        return message
    fits, over = 0, top  # the most items that fit lies in [fits, over)
    best = render(0)
    sizes = {fits: best.max_size, over: message.max_size}
    guesses = 3  # a mail grows about linearly with its items: guess where the budget falls (two or
    # three renders), then halve the range instead, in case the items differ widely in size
    while over - fits > 1:
        per_item = (sizes[over] - sizes[fits]) / (over - fits)
        guess = (
            fits + int((budget - sizes[fits]) / per_item) if guesses and per_item > 0 else (fits + over) // 2
        )
        guesses -= bool(guesses)
        middle = min(max(guess, fits + 1), over - 1)
        candidate = render(middle)
        sizes[middle] = candidate.max_size
        if candidate.max_size <= budget:
            fits, best = middle, candidate
        else:
            over = middle
    return best


def edition_context(
    edition: Edition,
    lst: ListSettings,
    fields: dict[str, str],
    *,
    today: date | None = None,
    personal: bool = True,
    tracking: Tracking | None = None,
) -> dict[str, Any]:
    """What `digest.mjml.j2` and `digest.txt.j2` read; `fields` holds markers, or real values when rendering directly."""
    catalog = Catalog(lst.language)
    items = [item_view(brief, catalog, images=lst.images) for brief in edition.items]
    pixel = None
    if tracking is not None:
        reader = fields.get("reader", "")
        links = [tracking.clicks.get(brief.item_id) if brief.item_id is not None else None for brief in edition.items]
        items = [
            replace(item, url=link + reader) if item.url and link else item
            for item, link in zip(items, links, strict=True)
        ]
        pixel = tracking.pixel[0] + reader + tracking.pixel[1] if tracking.pixel else None
    first = items[0].lede if items else lst.description
    return frame(lst, catalog, edition.subject, first, fields, personal=personal) | {
        "date": catalog.date(today or _edition_day(edition)),
        "intro": edition.intro,
        "items": items,
        "held_back": 0,
        "pixel": pixel,
    }


def make_markers(fields: Sequence[str]) -> dict[str, str]:
    """A marker per field, with a nonce of its own so no article text can forge one."""
    nonce = secrets.token_hex(8)
    return {f: f"@@{nonce}.{f}@@" for f in fields}


def frame(
    lst: ListSettings,
    catalog: Catalog,
    subject: str,
    preview: str,
    fields: dict[str, str],
    personal: bool = True,
) -> dict[str, Any]:
    """What every mail's layout reads: language, theme, list, preheader and the recipient's fields."""
    return {
        "t": catalog,
        "lang": lst.language,
        "dir": catalog.direction,
        "subject": subject,
        "preheader": preheader(preview),
        "list_name": lst.name,
        "description": lst.description,
        "date": None,
        "postal_address": lst.postal_address,
        "theme": lst.theme,
        "fields": fields,
        "personal": personal,
        "footer_links": FOOTER_LINKS,
    }


def render_pair(
    folders: Templates, stem: str, context: dict[str, Any], held_back: int = 0
) -> MessageTemplate:
    """`{stem}.mjml.j2` and its plain-text twin `{stem}.txt.j2`, rendered with one context."""
    return MessageTemplate(
        subject=context["subject"],
        html=folders.html(f"{stem}.mjml.j2", context, fonts=context["theme"].fonts),
        text=folders.text(f"{stem}.txt.j2", context),
        markers=context["fields"],
        held_back=held_back,
    )


def _edition_day(edition: Edition) -> date:
    when = edition.sent_at or edition.created_at
    return when.date() if when else date.today()


def personalize(template: MessageTemplate, values: Mapping[str, str]) -> tuple[str, str]:
    """The (html, text) of one recipient's message: values escaped for HTML, verbatim in text."""
    plain = {f: values.get(f, "") for f in template.markers}
    if "name" in plain:
        plain["name"] = " ".join(plain["name"].split())[:NAME_CHARS]
    escaped = {f: html.escape(v, quote=True) for f, v in plain.items()}
    return template.html_holes.fill(escaped), template.text_holes.fill(plain)


def render_archive(
    edition: Edition, lst: ListSettings, templates: Path | Sequence[Path], archive_url: str
) -> str:
    """The public web page of an edition: every item, and no recipient's name or personal links."""
    page, _ = personalize(render_edition(edition, lst, templates, archive=True), {"archive_url": archive_url})
    return page
