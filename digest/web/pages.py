"""The pages readers see: rendered in their language, with a CSRF field where there is a form, and
the few pages every route may answer with (an invalid link, a missing list, an expired form, an error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from digest.config import Theme
from digest.web.csrf import Csrf
from digest.web.i18n import accepted, language_of, translator
from subscribers.models import MailingList

# The page a reader gets for an error status: (title, text) in their language.
ERROR_PAGES = {
    400: ("invalid_link_title", "invalid_link_text"),
    404: ("not_found_title", "not_found_text"),
    410: ("expired_title", "link_expired_text"),
}


def reader_language(request: Request) -> str:
    """The language of a page that belongs to no list or subscriber (a missing page, a damaged link):
    the one the browser asks for, if we have words for it, else English. Pages of a list use its own."""
    return language_of(accepted(request.headers.get("accept-language")))


class Pages:
    """`brand`, on a page of one list, is that list: the page wears its theme (its name, logo and brand
    colour, the colour from /theme/<list>.css: the pages allow no inline style)."""

    def __init__(self, csrf: Csrf, theme_of: Callable[[str], Theme] = lambda _: Theme()):
        self.env = Environment(
            loader=PackageLoader("digest.web", "templates"), autoescape=select_autoescape(default=True)
        )
        self.csrf = csrf
        self.theme_of = theme_of

    def render(
        self,
        request: Request,
        template: str,
        lang: str,
        title_key: str,
        *,
        status: int = 200,
        brand: MailingList | None = None,
        **context: Any,
    ) -> HTMLResponse:
        lang = language_of(lang)
        tr = translator(lang)
        field, fresh = self.csrf.field(request)
        theme = self.theme_of(brand.id) if brand else None
        html = self.env.get_template(template).render(
            t=tr,
            lang=lang,
            title=tr(title_key, **context.pop("title_values", {})),
            csrf=field,
            brand=brand,
            theme=theme,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        if fresh:
            self.csrf.set_cookie(response, fresh)
        return response

    def message(
        self, request: Request, lang: str, title_key: str, *lines: str, status: int = 200, **ctx: Any
    ) -> HTMLResponse:
        return self.render(request, "message.html", lang, title_key, status=status, lines=list(lines), **ctx)

    def error(
        self, request: Request, status: int, title_key: str | None = None, text_key: str | None = None
    ) -> HTMLResponse:
        """A page for an error status in the reader's language."""
        default = ("error_title", "server_error_text" if status >= 500 else "error_text")
        title_key, text_key = (
            (title_key, text_key) if title_key and text_key else ERROR_PAGES.get(status, default)
        )
        lang = reader_language(request)
        return self.message(request, lang, title_key, translator(lang)(text_key), status=status)

    def invalid_link(self, request: Request) -> HTMLResponse:
        return self.error(request, 400, "invalid_link_title", "invalid_link_text")

    def no_list(self, request: Request) -> HTMLResponse:
        lang = reader_language(request)
        return self.message(request, lang, "not_found_title", translator(lang)("no_list"), status=404)

    def form_expired(self, request: Request, lang: str) -> HTMLResponse:
        """A form whose CSRF check failed: without the cookie (blocked, or dropped since), say that it
        is needed; with it, the form is older than its signature allows."""
        if not self.csrf.has_cookie(request):
            title, text = "cookies_needed_title", "cookies_needed"
        else:
            title, text = "form_expired_title", "form_expired"
        return self.message(request, lang, title, translator(lang)(text), status=403)
