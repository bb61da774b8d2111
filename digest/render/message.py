"""Jinja2 -> MJML -> HTML, plus a plain-text twin, rendered once per edition.

Per-recipient values (name, personal links) are left as markers that carry a random nonce, so no
article text can forge one, and are filled in later by plain substitution: Jinja2 and MJML run
once per edition, not once per recipient.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from mjml import mjml2html

from digest.config import ListSettings
from digest.domain import Edition
from digest.errors import DigestError

FIELDS = ("name", "unsubscribe_url", "preferences_url", "archive_url")
RTL = {"ar", "he", "fa", "ur"}


class RenderError(DigestError):
    pass


@dataclass(frozen=True)
class MessageTemplate:
    subject: str
    html: str
    text: str
    markers: dict[str, str]  # field -> marker in html and text


def _environment(folder: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=lambda name: bool(name) and name.endswith((".mjml.j2", ".html.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_edition(
    edition: Edition, lst: ListSettings, templates: Path, today: date | None = None
) -> MessageTemplate:
    nonce = secrets.token_hex(8)
    markers = {f: f"@@{nonce}.{f}@@" for f in FIELDS}
    preheader = edition.items[0].lede if edition.items else lst.description
    context = {
        "subject": edition.subject,
        "preheader": " ".join(preheader.split()[:30]),
        "list_name": lst.name,
        "lang": lst.language,
        "dir": "rtl" if lst.language in RTL else "ltr",
        "date": format_date(today or date.today(), format="long", locale=lst.language),
        "intro": edition.intro,
        "items": edition.items,
        "postal_address": lst.postal_address,
        "brand": "#1d4e89",
        "fields": markers,
    }
    env = _environment(templates)
    try:
        mjml_source = env.get_template("digest.mjml.j2").render(context)
        text = env.get_template("digest.txt.j2").render(context)
    except TemplateError as exc:
        where = f"{getattr(exc, 'name', None) or 'template'}, line {getattr(exc, 'lineno', '?')}"
        raise RenderError(f"{where}: {exc}") from None
    try:
        body = mjml2html(mjml_source, fonts={})
    except ValueError as exc:
        raise RenderError(f"digest.mjml.j2: MJML error: {exc}") from None
    return MessageTemplate(subject=edition.subject, html=body, text=text, markers=markers)


def personalize(template: MessageTemplate, values: dict[str, str]) -> tuple[str, str]:
    """The (html, text) of one recipient's message; values are escaped for HTML."""
    body, text = template.html, template.text
    for field, marker in template.markers.items():
        value = values.get(field, "")
        body = body.replace(marker, html.escape(value, quote=True))
        text = text.replace(marker, value)
    return body, text
