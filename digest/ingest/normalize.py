"""Normalization shared by every source kind: canonical URLs, language codes and UTC datetimes.
(HTML, and what a page says about itself in its <head>, is html.py's.)"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs", "vero_", "oly_")
TRACKING_KEYS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "twclid",
    "ocid",
    "cmpid",
    "_ga",
    "ref_src",
}
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


def article_url(url: str | None, base: str | None = None) -> str | None:
    """The canonical URL when it names one article, else None: Article.canonical_url."""
    canonical = canonical_url(url, base)
    return canonical if is_article_url(canonical) else None


def absolute_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL as given (an image URL may be signed: its query is left alone)."""
    if not url or not url.strip():
        return None
    joined = urljoin(base or "", url.strip())
    return joined if urlsplit(joined).scheme in DEFAULT_PORTS else None


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
