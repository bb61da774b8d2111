"""An edition rendered as a subscriber sees it, with stand-in personal links, written to a file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from digest.config import Settings
from digest.errors import DigestError
from digest.links import ARCHIVE_PATH
from digest.render import personalize, render_edition
from digest.store.editions import load_edition


def write_preview(engine: Engine, settings: Settings, edition_id: int, target: Path | None = None) -> tuple[Path, int]:
    with engine.connect() as conn:
        edition = load_edition(conn, edition_id)
    if edition is None:
        raise DigestError(f"no edition #{edition_id}")
    template = render_edition(edition, settings.get_list(edition.list_id), settings.path(settings.templates))
    archive = settings.base_url + ARCHIVE_PATH.format(edition_id=edition_id)
    html, _ = personalize(
        template,
        {"name": "Reader", "unsubscribe_url": archive, "preferences_url": archive, "archive_url": archive},
    )
    path = target or settings.path(settings.data_dir) / f"preview-{edition_id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path, len(html.encode())
