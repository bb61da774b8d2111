"""A list's theme as a stylesheet: the readers' pages take the list's brand colour from here (they
allow no inline style). Any list has one: a list config.yaml does not theme wears the default."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from digest.config import BRAND_INK
from digest.web.deps import SiteDep

router = APIRouter()


@router.get("/theme/{list_id}.css")
def theme_stylesheet(site: SiteDep, list_id: str) -> Response:
    theme = site.theme_of(list_id)  # the colour is checked in config.py: #rrggbb, readable under white
    css = f":root {{ --brand: {theme.brand_color}; --brand-ink: {BRAND_INK}; }}\n"
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})
