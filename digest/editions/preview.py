"""An edition rendered as a subscriber sees it, with stand-in personal links, written to a file.

With a width, the file is a page that shows the mail in a frame of that width (375 px for a phone,
600 px for a desktop client) under a bar with its size, so a designer sees what a reader sees.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple

from digest.config import Settings
from digest.domain import Edition
from digest.errors import Invalid
from digest.links import ARCHIVE_PATH
from digest.render import BUDGET, MessageTemplate, personalize, render_edition

WIDTHS = (375, 600)
SCHEMES = ("light", "dark")
_DARK_QUERY = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)")


class Preview(NamedTuple):
    path: Path
    size: int  # bytes of the personalized HTML, the figure Gmail's clip limit applies to
    held_back: int  # items left to the web archive to stay under the budget


class Mail(NamedTuple):
    """The edition's message as one subscriber gets it (stand-in name and links)."""

    subject: str
    html: str
    text: str
    size: int  # bytes of the HTML, against BUDGET
    held_back: int
    unsubscribe: bool = True  # both parts carry the reader's own unsubscribe link


def check_width(width: int | None) -> None:
    if width is not None and width not in WIDTHS:
        raise Invalid(f"--width must be one of {', '.join(map(str, WIDTHS))}, not {width}")


def write_preview(
    settings: Settings, edition: Edition, target: Path | None = None, *, width: int | None = None
) -> Preview:
    """Write the edition as a subscriber sees it (to `target`, else var/preview-<id>.html)."""
    check_width(width)
    mail = as_sent(settings, edition)
    page = mail.html if width is None else _framed(mail.html, mail.subject, width, mail.size, mail.held_back)
    path = target or settings.path(settings.data_dir) / f"preview-{edition.id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return Preview(path, mail.size, mail.held_back)


def as_sent(settings: Settings, edition: Edition) -> Mail:
    """The edition rendered and filled in as for a subscriber named Reader, links to its archive page.
    The last few are kept: the board, its preview panel, the preview's frame and the checks all ask
    for the same mail after each change (the key is everything the mail is made of, templates included)."""
    key = _mail_key(settings, edition)
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    template, archive = rendered(settings, edition)
    body, text = personalize(
        template,
        {"name": "Reader", "unsubscribe_url": archive, "preferences_url": archive, "archive_url": archive},
    )
    unsubscribe = all(holes.counts.get("unsubscribe_url", 0) for holes in (template.html_holes, template.text_holes))
    mail = Mail(template.subject, body, text, len(body.encode()), template.held_back, unsubscribe)
    with _kept_lock:
        _kept[key] = mail
        while len(_kept) > KEPT_MAILS:
            _kept.popitem(last=False)
    return mail


KEPT_MAILS = 32
_kept: OrderedDict[str, Mail] = OrderedDict()
_kept_lock = threading.Lock()


def _mail_key(settings: Settings, edition: Edition) -> str:
    lst = settings.get_list(edition.list_id)
    templates = [
        (str(path), stat.st_mtime_ns, stat.st_size)
        for folder in settings.template_folders(lst)
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file() and (stat := path.stat())
    ]
    made_of = repr((edition, lst, templates, settings.base_url))
    return hashlib.sha256(made_of.encode()).hexdigest()


def rendered(settings: Settings, edition: Edition) -> tuple[MessageTemplate, str]:
    """The edition's message before it is filled in for a reader, and its archive page's URL."""
    assert edition.id is not None  # a stored edition
    lst = settings.get_list(edition.list_id)
    template = render_edition(edition, lst, settings.template_folders(lst))
    return template, settings.base_url + ARCHIVE_PATH.format(edition_id=edition.id)


def describe(size: int, held_back: int) -> str:
    held = f"; {held_back} item(s) moved to the web archive to stay under it" if held_back else ""
    return f"{size / 1024:.1f} KB of HTML, budget {BUDGET // 1024} KB{held}"


def _framed(body: str, subject: str, width: int, size: int, held_back: int) -> str:
    bar = html.escape(f"{subject} · {width} px · {describe(size, held_back)}")
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{bar}</title><style>body{{margin:0;background:#d0d0d0;font:14px sans-serif}}"
        "p{margin:0;padding:8px 12px}"
        f"iframe{{display:block;margin:0 auto;border:0;background:#fff;width:{width}px;height:calc(100vh - 36px)}}"
        f'</style></head><body><p>{bar}</p><iframe title="{bar}" srcdoc="{html.escape(body, quote=True)}">'
        "</iframe></body></html>"
    )


def in_scheme(body: str, scheme: str) -> str:
    """The mail as a reader with their device in `scheme` sees it, whatever the previewing browser
    prefers: its dark-mode rules always apply ("dark") or never ("light"); nothing else changes."""
    if scheme not in SCHEMES:
        raise Invalid(f"the colour scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    return _DARK_QUERY.sub("@media all" if scheme == "dark" else "@media not all", body)
