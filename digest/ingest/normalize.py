"""Normalization shared by every source kind: canonical URLs, UTC datetimes, sanitized HTML and the
metadata a page carries in its <head> (canonical link, lead image, publication time, author)."""

from __future__ import annotations

import email.utils
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import nh3
from lxml import etree
from lxml import html as lxml_html

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs", "vero_", "oly_")
TRACKING_KEYS = {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "twclid", "ocid", "cmpid", "_ga", "ref_src"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL with tracking parameters and the fragment dropped, the scheme and host
    lower-cased, the default port removed and the remaining query sorted; None when it is not one."""
    if not url or not url.strip():
        return None
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if port and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_KEYS
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def is_article_url(url: str | None) -> bool:
    """A URL that can name one article: not a bare site root (some feeds link every item there)."""
    return bool(url) and urlsplit(url).path not in ("", "/")


def absolute_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL as given (an image URL may be signed: its query is left alone)."""
    if not url or not url.strip():
        return None
    joined = urljoin(base or "", url.strip())
    return joined if urlsplit(joined).scheme in DEFAULT_PORTS else None


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)


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


def language_code(value: str | None) -> str | None:
    """A two-letter language code from what a source says ("en-GB", "EN", "fr_FR"), or None."""
    code = (value or "").strip()[:2].lower()
    return code if len(code) == 2 and code.isalpha() and code.isascii() else None


def utc(value: datetime | None) -> datetime | None:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_date(text: str | None) -> datetime | None:
    """ISO 8601 (as JSON Feed and page metadata write it) or RFC 822 (as RSS writes it), in UTC."""
    if not text or not isinstance(text, str):
        return None
    text = text.strip()
    try:
        return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return utc(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "em", "figcaption", "figure", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "q": {"cite"}, "blockquote": {"cite"}}


def sanitize(fragment: str | None) -> str | None:
    """Article HTML safe to store and show: no scripts, styles, event handlers or foreign tags."""
    if not fragment or not fragment.strip():
        return None
    return nh3.clean(
        fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"}
    ).strip() or None


def plain_text(fragment: str | None) -> str:
    """The text of an HTML fragment (a feed's title may carry markup), on one line."""
    if not fragment or "<" not in fragment:
        return " ".join((fragment or "").split())
    return " ".join(html.unescape(nh3.clean(fragment, tags=set())).split())


@dataclass(frozen=True)
class PageMeta:
    canonical: str | None = None
    image_url: str | None = None
    image_alt: str | None = None
    caption: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    language: str | None = None


_META_DATES = ("article:published_time", "og:published_time", "datePublished", "pubdate", "date", "dc.date")


def page_meta(page: str, url: str | None) -> PageMeta:
    """What a page says about itself: <link rel=canonical>, og:image and its alt, the first figure's
    caption, the publication time and author from its meta tags, and <html lang>."""
    try:
        root = lxml_html.document_fromstring(_XML_DECLARATION.sub("", page, count=1))  # lxml refuses it in str
    except (etree.ParserError, ValueError):
        return PageMeta()
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip()
        if key and (content := el.get("content")) and key.lower() not in meta:
            meta[key.lower()] = content.strip()
    canonical = next((el.get("href") for el in root.iter("link") if "canonical" in (el.get("rel") or "").lower().split()), None)
    figure = next(iter(root.iter("figure")), None)
    image = meta.get("og:image") or meta.get("twitter:image")
    alt = meta.get("og:image:alt") or meta.get("twitter:image:alt")
    caption = None
    if figure is not None:
        img = next(iter(figure.iter("img")), None)
        if img is not None and not image:
            image = img.get("src")
        if img is not None and not alt:
            alt = img.get("alt")
        cap = next(iter(figure.iter("figcaption")), None)
        caption = " ".join(cap.text_content().split()) if cap is not None else None
    lang = language_code(root.get("lang") or meta.get("og:locale"))
    return PageMeta(
        canonical=next((c for c in [canonical_url(canonical, url)] if is_article_url(c)), None),  # not a site root
        image_url=absolute_url(image, url),
        image_alt=(alt or "").strip() or None,
        caption=caption or None,
        published_at=next((d for d in map(parse_date, (meta.get(k.lower()) for k in _META_DATES)) if d), None),
        author=meta.get("author") or meta.get("article:author") or None,
        language=lang,
    )
