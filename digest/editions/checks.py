"""Checks before sending: what an editor should fix before an edition goes out, each next to its
item (its position, from 1) or about the edition as a whole (None).

The mail is checked as a subscriber gets it (digest.editions.preview.as_sent): its links answer
(each asked with HEAD then GET, 5 s timeout, all at once; the instance's own links, which are
signed per reader, are not asked), its images have alt text, no item has an empty lede or a quote
its article does not hold (the quote check), no placeholder text is left ("TK", "TKTK", "XXX" as
words, "lorem ipsum"), the subject is neither empty nor over 78 characters, the HTML is within the
size budget (and no item had to move to the web archive to fit), and both parts carry the
reader's unsubscribe link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from digest.domain import Article, Brief, Edition
from digest.editions.preview import Mail
from digest.editions.quotecheck import unverified
from digest.ingest.linkcheck import LinkState
from digest.render import BUDGET
from digest.render.context import https_url

SUBJECT_MAX = 78  # characters: RFC 5322's line length, and what most clients show
PLACEHOLDER = re.compile(r"(?<!\w)(TKTK|TK|XXX)(?!\w)|lorem\s+ipsum", re.IGNORECASE)
KINDS = ("link", "alt", "lede", "quote", "placeholder", "subject", "size", "unsubscribe")


@dataclass(frozen=True)
class Check:
    """A failed check."""

    item: int | None  # the item's position in the edition, from 1; None: the edition as a whole
    kind: str  # one of KINDS
    message: str


def links_of(mail: Mail, own: str) -> list[str]:
    """The mail's links that go elsewhere than the instance (`own`, its base URL), in order."""
    found = []
    for element in lxml.html.fromstring(mail.html).iter("a"):
        href = (element.get("href") or "").strip()
        if href.startswith(("http://", "https://")) and not href.startswith(own.rstrip("/") + "/"):
            found.append(href)
    return list(dict.fromkeys(found))


def find_problems(
    edition: Edition, articles: dict[int, Article], mail: Mail, links: dict[str, LinkState]
) -> list[Check]:
    """Every failed check of the edition, item by item in order, then the edition's own."""
    found = [*_broken_links(edition.items, links), *_images(edition.items, mail)]
    for position, item in enumerate(edition.items, 1):
        if not item.lede.strip():
            found.append(Check(position, "lede", f"item {position} (“{item.title}”) has an empty lede"))
        found += [
            _placeholder(position, where, text) for where, text in _texts(item) if PLACEHOLDER.search(text)
        ]
    found += [Check(u.position, "quote", u.message()) for u in unverified(edition.items, articles)]
    found += [
        _placeholder(None, where, text)
        for where, text in (("the subject", mail.subject), ("the intro", edition.intro or ""))
        if PLACEHOLDER.search(text)
    ]
    found += _edition(mail)
    return sorted(found, key=lambda c: (c.item is None, c.item or 0, KINDS.index(c.kind)))


def _texts(item: Brief) -> list[tuple[str, str]]:
    return [("its title", item.title), ("its lede", item.lede), *(("its quote", q.text) for q in item.quotes)]


def _placeholder(position: int | None, where: str, text: str) -> Check:
    match = PLACEHOLDER.search(text)
    assert match is not None
    place = where if position is None else f"item {position}: {where}"
    return Check(position, "placeholder", f"{place} still holds the placeholder “{match.group(0)}”")


def _broken_links(items: list[Brief], links: dict[str, LinkState]) -> list[Check]:
    owner: dict[str, int] = {}
    for position, item in enumerate(items, 1):
        for url in [item.url, *(c.url for c in item.also)]:
            if https_url(url):  # the mail links to it as https
                owner.setdefault(str(https_url(url)), position)
    return [
        Check(owner.get(url), "link", f"the link {url} does not work: {state.detail}")
        for url, state in links.items()
        if not state.ok
    ]


def _images(items: list[Brief], mail: Mail) -> list[Check]:
    found = [
        Check(position, "alt", f"item {position} (“{item.title}”): its image has no alt text")
        for position, item in enumerate(items, 1)
        if item.image is not None and not (item.image.alt or "").strip()
    ]
    item_images = {item.image.url for item in items if item.image is not None}
    for image in lxml.html.fromstring(mail.html).iter("img"):
        if image.get("alt") is None and image.get("src") not in item_images:
            found.append(Check(None, "alt", f"the image {image.get('src')} has no alt attribute"))
    return found


def _edition(mail: Mail) -> list[Check]:
    found = []
    subject = mail.subject.strip()
    if not subject:
        found.append(Check(None, "subject", "the subject is empty"))
    elif len(subject) > SUBJECT_MAX:
        found.append(Check(None, "subject", f"the subject has {len(subject)} characters, over {SUBJECT_MAX}"))
    if mail.size > BUDGET:
        found.append(
            Check(None, "size", f"{mail.size / 1024:.1f} KB of HTML, over the {BUDGET // 1024} KB budget")
        )
    if mail.held_back:
        found.append(
            Check(
                None,
                "size",
                f"{mail.held_back} item(s) moved to the web archive to stay under the {BUDGET // 1024} KB budget",
            )
        )
    if not mail.unsubscribe:
        found.append(
            Check(
                None, "unsubscribe", "the mail has no unsubscribe link for its reader (HTML and text parts)"
            )
        )
    return found
