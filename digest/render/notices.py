"""A list's notices (the confirmation, the welcome, an editor's review request, a publisher's alert
of an edition's complaint or bounce rate), in its language.

Each kind has a template pair (`{kind}.mjml.j2`, `{kind}.txt.j2`), a subject and a body line in the
catalogue, and fields (NOTICE_FIELDS) that are the recipient's own: they are filled in by
personalization, as in a digest. Anything else a notice says (a review request's edition and
deadline) is handed to the templates as `notice`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from digest.config import ListSettings, Settings
from digest.render.catalog import Catalog
from digest.render.environment import Templates
from digest.render.message import MessageTemplate, frame, make_markers, personalize, render_pair
from subscribers.models import MailingList

Notice = Literal["confirm", "welcome", "review", "alert"]
NOTICE_FIELDS: dict[str, tuple[str, ...]] = {
    "confirm": ("confirm_url",),
    "welcome": ("unsubscribe_url", "preferences_url"),
    "review": ("review_url",),
    "alert": ("newsroom_url",),
}


def render_notice(
    kind: Notice,
    lst: ListSettings,
    templates: Path | Sequence[Path],
    facts: Mapping[str, object] | None = None,
) -> MessageTemplate:
    """Fill the result with `personalize(template, {field: value})` for the fields of NOTICE_FIELDS[kind]."""
    catalog = Catalog(lst.language)
    facts = dict(facts or {})
    subject = catalog(f"{kind}_subject", list=lst.name, **facts)
    body = catalog(f"{kind}_body", list=lst.name, **facts)
    context = frame(lst, catalog, subject, body, make_markers(NOTICE_FIELDS[kind])) | {"notice": facts}
    return render_pair(Templates(templates), kind, context)


@dataclass(frozen=True)
class NoticeMail:
    subject: str
    text: str
    html: str


NoticeFor = Callable[[Notice, MailingList, Mapping[str, object]], NoticeMail]


def notices_for(settings: Settings) -> NoticeFor:
    """A list's notice mail of a kind: its fields (NOTICE_FIELDS, strings) filled in, the other
    values handed to the templates. A list made at the command line rather than in config.yaml gets
    the default look."""

    def mail(kind: Notice, lst: MailingList, values: Mapping[str, object]) -> NoticeMail:
        look = settings.list_settings(lst)
        fields = {f: str(values[f]) for f in NOTICE_FIELDS[kind] if f in values}
        facts = {k: v for k, v in values.items() if k not in NOTICE_FIELDS[kind]}
        template = render_notice(kind, look, settings.template_folders(look), facts)
        html, text = personalize(template, fields)
        return NoticeMail(template.subject, text, html)

    return mail
