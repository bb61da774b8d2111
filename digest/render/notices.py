"""The confirmation and welcome emails of a list, rendered once and filled per subscriber."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from digest.config import ListSettings, Settings
from digest.render.catalog import Catalog
from digest.render.environment import Templates
from digest.render.message import MessageTemplate, frame, make_markers, personalize, render_pair
from subscribers.models import MailingList

Notice = Literal["confirm", "welcome"]
NOTICE_FIELDS: dict[str, tuple[str, ...]] = {
    "confirm": ("confirm_url",),
    "welcome": ("unsubscribe_url", "preferences_url"),
}


def render_notice(kind: Notice, lst: ListSettings, templates: Path | Sequence[Path]) -> MessageTemplate:
    """Fill the result with `personalize(template, {field: value})` for the fields of NOTICE_FIELDS[kind]."""
    catalog = Catalog(lst.language)
    subject = catalog(f"{kind}_subject", list=lst.name)
    body = catalog(f"{kind}_body", list=lst.name)
    context = frame(lst, catalog, subject, body, make_markers(NOTICE_FIELDS[kind]))
    return render_pair(Templates(templates), kind, context)


@dataclass(frozen=True)
class NoticeMail:
    subject: str
    text: str
    html: str


NoticeFor = Callable[[Notice, MailingList, dict[str, str]], NoticeMail]


def notices_for(settings: Settings) -> NoticeFor:
    """A list's notice mail of a kind, its fields (NOTICE_FIELDS) filled in. A list made at the
    command line rather than in config.yaml gets the default look."""

    def mail(kind: Notice, lst: MailingList, values: dict[str, str]) -> NoticeMail:
        look = settings.list_settings(lst)
        template = render_notice(kind, look, settings.template_folders(look))
        html, text = personalize(template, values)
        return NoticeMail(template.subject, text, html)

    return mail
