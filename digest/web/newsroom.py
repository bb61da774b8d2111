"""The newsroom's pages (signed-in editors, publishers and admins): one layout, rendered with the
signed-in user, their session's CSRF token and the interface's words. The words go through gettext
(jinja2's i18n extension with Babel catalogues): English first, the catalogue's template is
digest/web/locale/newsroom.pot (`make messages` extracts it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_timedelta
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from digest.domain import Session, User
from digest.web.csrf import csrf_token

# Scripts and styles come from /static only: no inline script, no eval (htmx is told not to add
# its indicator styles, which would be inline).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def when(moment: datetime | None) -> str:
    """A moment as the newsroom shows it, in the time zone it carries: "Mon 2 Nov 2026, 07:00 CET"."""
    if moment is None:
        return ""
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} {moment.tzname() or ''}".strip()


LOCALE = "en"  # the newsroom's words are English first (see the catalogue), its figures too


def number(value: float) -> str:
    """A figure as the newsroom shows it: "1,234", "0.5"."""
    return format_decimal(value, "#,##0.#", locale=LOCALE)


def percent(value: float | None) -> str:
    """A rate as the newsroom shows it: "12.5%", "0.25%", "–" when there is none (nothing to divide by)."""
    if value is None:
        return "–"
    return format_percent(value, "#,##0.##%", locale=LOCALE)


def span(value: timedelta) -> str:
    """A span rounded as people say it: "3 min", "40 sec", "2 hr"."""
    return format_timedelta(value, format="short", locale=LOCALE)


def search_link(given: dict[str, object], **extra: str) -> str:
    """The subscribers table's query string for a search (its form's fields) and a page's cursor: the
    page links, the download, the bulk action's form, a job's search."""
    pairs: list[tuple[str, str]] = []
    for key, value in given.items():
        if key == "statuses":
            pairs += [("status", str(s)) for s in value]  # type: ignore[attr-defined]
        elif value:
            pairs.append((key, str(value)))
    return urlencode(pairs + [(k, v) for k, v in extra.items() if v])


class Newsroom:
    def __init__(self, secret_key: str):
        self.secret_key = secret_key
        self.env = Environment(
            loader=PackageLoader("digest.web", "templates/newsroom"),
            autoescape=select_autoescape(default=True),
            extensions=["jinja2.ext.i18n"],
        )
        self.env.install_gettext_translations(NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
        self.env.filters["when"] = when
        self.env.filters["number"] = number
        self.env.filters["span"] = span
        self.env.filters["percent"] = percent
        self.env.filters["search_link"] = search_link

    def render(
        self,
        request: Request,
        template: str,
        *,
        user: User | None = None,
        session: Session | None = None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        csrf = csrf_token(self.secret_key, session) if session else ""
        html = self.env.get_template(template).render(user=user, csrf=csrf, request=request, **context)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP})
