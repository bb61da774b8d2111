"""HTML, as every source kind meets it: decoding a page, sanitizing what is kept, the text of a title or
a fragment, its first image, and what a page says about itself in its <head> (canonical link, lead
image and its size, caption, publication time, author, language). feeds.py, jsonfeed.py, folder.py
and webpage.py share these; none of them imports another for them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime

import nh3
from lxml import etree
from lxml import html as lxml_html

from digest.domain import Image
from digest.ingest.normalize import absolute_url, article_url, language_code, parse_date
from digest.ingest.structure import is_boilerplate

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "em", "figcaption", "figure", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
MAX_PIXELS = 20_000  # a width or height beyond this is a mistake, not a photograph

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)
_PIXELS = re.compile(r"\s*(\d{1,6})(?:\.\d*)?\s*(?:px)?\s*", re.I)
_META_DATES = ("article:published_time", "og:published_time", "datePublished", "pubdate", "date", "dc.date")


def decode_html(content: bytes, charset: str | None) -> str:
    """A page's text: the HTTP charset if it decodes, else UTF-8, else the page's <meta charset>,
    else Windows-1252 (what browsers assume)."""
    declared = _META_CHARSET.search(content[:4096])
    for encoding in (charset, "utf-8", declared.group(1).decode("ascii") if declared else None):
        if encoding:
            try:
                return content.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    return content.decode("cp1252", errors="replace")


def sanitize(fragment: str | None) -> str | None:
    """Article HTML safe to store and show: no scripts, styles, event handlers or foreign tags."""
    if not fragment or not fragment.strip():
        return None
    return (
        nh3.clean(
            fragment,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
        ).strip()
        or None
    )


def plain_text(fragment: str | None) -> str:
    """The text of an HTML fragment (a feed's title may carry markup), on one line."""
    if not fragment or "<" not in fragment:
        return " ".join((fragment or "").split())
    return " ".join(html.unescape(nh3.clean(fragment, tags=set())).split())


def html_paragraphs(fragment: str) -> list[str]:
    """Text of the block elements of an HTML fragment, one paragraph each; boilerplate dropped."""
    if not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    blocks = root.xpath(".//p|.//li|.//blockquote|.//h2|.//h3|.//h4")
    texts = [" ".join(b.text_content().split()) for b in blocks] or [" ".join(root.text_content().split())]
    return [t for t in texts if t and not is_boilerplate(t)]


def pixels(value: str | None) -> int | None:
    """A width or height as HTML or a feed writes it ("600", "600px", "600.0"), or None for anything
    else ("100%", "auto", 0, a size no image has)."""
    m = _PIXELS.fullmatch(value) if isinstance(value, str) else None
    size = int(m.group(1)) if m else 0
    return size if 0 < size <= MAX_PIXELS else None


def image(
    url: str | None,
    base: str | None,
    alt: str | None = None,
    width: str | None = None,
    height: str | None = None,
) -> Image | None:
    """The lead image as a page or feed names it, its URL made absolute; None without a usable URL."""
    absolute = absolute_url(url, base)
    if absolute is None:
        return None
    return Image(absolute, " ".join((alt or "").split()) or None, pixels(width), pixels(height))


def first_image(fragment: str, base: str | None = None) -> Image | None:
    """The first <img> of an HTML fragment: its src, alt, width and height."""
    if "<img" not in fragment:
        return None
    try:
        img = next(iter(lxml_html.fragment_fromstring(fragment, create_parent="div").iter("img")), None)
    except (etree.ParserError, ValueError):
        return None
    if img is None:
        return None
    return image(img.get("src"), base, img.get("alt"), img.get("width"), img.get("height"))


@dataclass(frozen=True)
class PageMeta:
    canonical: str | None = None
    image: Image | None = None
    caption: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    language: str | None = None


def parse_page(page: str) -> lxml_html.HtmlElement | None:
    """A page's tree, parsed once for its metadata and its article; None when it cannot be parsed."""
    try:
        return lxml_html.document_fromstring(
            _XML_DECLARATION.sub("", page, count=1)
        )  # lxml refuses it in str
    except (etree.ParserError, ValueError):
        return None


def page_meta(page: str | lxml_html.HtmlElement | None, url: str | None) -> PageMeta:
    """What a page says about itself: <link rel=canonical>, og:image with its alt, width and height
    (else the first figure's <img> and its attributes), the first figure's caption, the publication
    time and author from its meta tags, and <html lang>. The page as text or as its parsed tree."""
    root = parse_page(page) if isinstance(page, str) else page
    if root is None:
        return PageMeta()
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip()
        if key and (content := el.get("content")) and key.lower() not in meta:
            meta[key.lower()] = content.strip()
    canonical = next(
        (el.get("href") for el in root.iter("link") if "canonical" in (el.get("rel") or "").lower().split()),
        None,
    )
    figure = next(iter(root.iter("figure")), None)
    img = next(iter(figure.iter("img")), None) if figure is not None else None
    alt = meta.get("og:image:alt") or meta.get("twitter:image:alt")
    lead = None
    if meta.get("og:image"):
        lead = image(meta["og:image"], url, alt, meta.get("og:image:width"), meta.get("og:image:height"))
    elif meta.get("twitter:image"):
        lead = image(meta["twitter:image"], url, alt)
    if img is not None:
        shown = image(img.get("src"), url, img.get("alt"), img.get("width"), img.get("height"))
        lead = fill_image(lead, shown) if lead else shown
    cap = next(iter(figure.iter("figcaption")), None) if figure is not None else None
    return PageMeta(
        canonical=article_url(canonical, url),  # not a site root
        image=lead,
        caption=(" ".join(cap.text_content().split()) or None) if cap is not None else None,
        published_at=next(
            (d for d in map(parse_date, (meta.get(k.lower()) for k in _META_DATES)) if d), None
        ),
        author=meta.get("author") or meta.get("article:author") or None,
        language=language_code(root.get("lang") or meta.get("og:locale")),
    )


def fill_image(lead: Image, other: Image | None) -> Image:
    """The lead image, its missing alt text taken from another mention of the lead picture (the page's
    figure, the page of a feed's item), and its missing size too when that is the same file: a size
    belongs to one file, a description to the picture (a thumbnail shows the same one)."""
    if other is None:
        return lead
    same = other.url == lead.url
    return Image(
        lead.url,
        lead.alt or other.alt,
        lead.width or (other.width if same else None),
        lead.height or (other.height if same else None),
    )
