"""A public list's Atom feed (RFC 4287) of its sent editions, newest first, made with feedgen: each
entry links to the edition's archive page and carries its intro and items (title, source, lede) as
HTML, escaped from plain text."""

from __future__ import annotations

from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from jinja2 import Environment, select_autoescape

from digest.config import ListSettings
from digest.domain import Edition

_CONTENT = Environment(autoescape=select_autoescape(default=True, default_for_string=True)).from_string(
    "{% if edition.intro %}<p>{{ edition.intro }}</p>{% endif %}<ul>{% for item in edition.items %}"
    '<li><p>{% if item.url %}<a href="{{ item.url }}">{{ item.title }}</a>{% else %}{{ item.title }}{% endif %}'
    "{% if item.source %} ({{ item.source }}){% endif %}</p><p>{{ item.lede }}</p></li>{% endfor %}</ul>"
)


def when(edition: Edition) -> datetime:
    """When an edition went out: its end of sending, else (still sending) when it was made."""
    return edition.sent_at or edition.created_at or datetime.now(UTC)


def atom_feed(
    lst: ListSettings, editions: list[Edition], index_url: str, feed_url: str, page_url: str
) -> bytes:
    """The feed of `editions` (newest first); `page_url` has an `{edition_id}` to fill."""
    feed = FeedGenerator()
    feed.id(index_url)
    feed.title(lst.name)
    if lst.description:
        feed.subtitle(lst.description)
    feed.author({"name": lst.from_name})
    feed.link(href=index_url, rel="alternate", type="text/html")
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.language(lst.language)
    feed.updated(when(editions[0]) if editions else datetime(2000, 1, 1, tzinfo=UTC))
    for edition in editions:
        url = page_url.format(edition_id=edition.id)
        entry = feed.add_entry(order="append")  # feedgen prepends by default
        entry.id(url)
        entry.title(edition.subject)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(when(edition))
        entry.updated(when(edition))
        entry.content(_CONTENT.render(edition=edition), type="html")
    atom: bytes = feed.atom_str(pretty=True)
    return atom
