"""The confirmation and welcome emails of a list, rendered once and filled per subscriber."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from digest.config import ListSettings

from .catalog import Catalog
from .environment import Templates
from .message import MessageTemplate, frame, make_markers, render_pair

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
